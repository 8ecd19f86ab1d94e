"""The back office's landing page (/staff/): a dashboard by role.

Staff see their work, analysts the flows and process statistics, admins the operations. The figures
come from backend/requests_app/selectors_dashboard.py (reads only, a fixed number of queries); the
charts get their numbers through json_script and show the same numbers as tables for screen readers.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.models import User
from backend.core.language import active_lang
from backend.core.money import format_day_month
from backend.requests_app import selectors_dashboard as figures
from backend.requests_app.selectors_dashboard import Series
from backend.requests_app.stuck_documents import render_document_now
from notifications.operations import operations
from portal_ui.access import staff_required


def _chart(
    chart_id: str,
    title: str,
    kind: str,
    series: Series,
    labels: list[str],
    *,
    empty: str = "",
    **options,
) -> dict:
    """One chart: its title, the table's column labels and the data dashboard.js draws.

    `empty` is the sentence shown instead of the picture when it would have nothing to draw (bare axes
    read as a broken page); the table stays.
    """
    datasets = [{**dataset, "label": label} for dataset, label in zip(series.datasets, labels, strict=True)]
    series = Series(labels=series.labels, datasets=datasets)
    return {
        "id": chart_id,
        "title": title,
        "type": kind,
        "columns": labels,
        # Each cell with its column's label: on a phone the table's rows are cards.
        "rows": [(label, list(zip(labels, values, strict=True))) for label, values in series.rows()],
        "empty": empty,
        "data": {**series.as_json(), **options},
    }


def _nothing_in(series: Series) -> bool:
    return not any(value for dataset in series.datasets for value in dataset["values"])


def _process_charts(*, with_people: bool) -> tuple[list[dict], figures.KindStageTable]:
    table = figures.open_requests_by_kind_and_stage()
    stages = figures.workload_per_stage(table)
    charts = [
        _chart(
            "chart-stage",
            _("Open requests per stage"),
            "bar",
            stages,
            [_("Open requests")],
            empty=_("No request is open.") if _nothing_in(stages) else "",
        )
    ]
    if with_people:
        people = figures.workload_per_person()
        charts.append(
            _chart(
                "chart-person",
                _("Workload per person"),
                "bar",
                people,
                [_("Requests"), _("Message threads")],
                empty=_("Nobody holds an open request or message thread.") if _nothing_in(people) else "",
                horizontal=True,
                stacked=True,
            )
        )
    mondays, opened, decided = figures.opened_vs_decided_per_week()
    weeks = Series(
        # Short tick labels (the Monday without its year, as the language writes dates); the table's caption
        # says they are weeks.
        labels=[format_day_month(monday, lang=active_lang()) for monday in mondays],
        datasets=[{"key": "opened", "values": opened}, {"key": "decided", "values": decided}],
    )
    charts.append(
        _chart(
            "chart-weeks",
            _("Requests opened and decided per week (from Monday)"),
            "line",
            weeks,
            [_("Opened"), pgettext("chart", "Decided")],
        )
    )
    medians = figures.median_days_to_decision()
    charts.append(
        _chart(
            "chart-median",
            _("Median time to decision (days, last %(days)s days)") % {"days": figures.MEDIAN_WINDOW_DAYS},
            "bar",
            Series(
                labels=[label for _kind, label, _median, _count in medians],
                datasets=[
                    {"key": "median", "values": [median for _kind, _label, median, _count in medians]},
                    {"key": "count", "values": [count for _kind, _label, _median, count in medians]},
                ],
            ),
            [_("Median days"), _("Decided requests")],
            # A median of 0.0 days is a figure; only no decision at all is nothing to draw.
            empty=_("No request was decided in the last %(days)s days.")
            % {"days": figures.MEDIAN_WINDOW_DAYS}
            if not any(count for _kind, _label, _median, count in medians)
            else "",
            # The count is for the table only; the chart draws the first dataset.
            drawn=1,
            # Bars along the request types: their names read level instead of slanted and cut off.
            horizontal=True,
        )
    )
    return charts, table


@require_GET
@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Land staff on their work, analysts on the flows' statistics, admins on operations."""
    role = request.user.role
    context: dict = {"role": role}
    if role == User.Role.ANALYST:
        context["charts"], context["kind_stage"] = _process_charts(with_people=False)
    elif role == User.Role.ADMIN:
        context["operations"] = operations()
        context["charts"], context["kind_stage"] = _process_charts(with_people=True)
    else:
        work = figures.staff_work(user=request.user)
        context["work"] = work
        context["charts"], context["kind_stage"] = _process_charts(with_people=True)
    context["chart_data"] = [
        {"id": chart["id"], "type": chart["type"], **chart["data"]} for chart in context["charts"]
    ]
    return render(request, "portal_ui/staff/dashboard/home.html", context)


@require_POST
@staff_required
def retry_document(request: HttpRequest, event_id: int) -> HttpResponse:
    """The operations section's "Retry now" of a decision document that failed to render, or "Render now"
    of one waiting too long (admins, who see that section): rendered in this request, so it works while
    the worker is down, and the administrator reads the outcome at once."""
    if request.user.role != User.Role.ADMIN:
        raise PermissionDenied(_("Only administrators run the portal's operations."))
    result = render_document_now(event_id=event_id)
    if result.outcome == "rendered":
        messages.success(
            request, _("The document has been rendered: the client can download it from the request now.")
        )
    elif result.outcome == "failed":
        messages.error(
            request,
            _("The document could not be rendered: %(error)s. Fix the cause and try again.")
            % {"error": result.error[:300]},
        )
    else:
        messages.info(request, _("This document is no longer waiting: it has been rendered."))
    return redirect("staff-home")
