"""Every notice of the user, page by page (the bell shows the newest ten): all or only the unread ones, and
"mark all as read". The same selectors and services as the bell's API (notifications/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notifications.selectors import list_notices_for_user
from notifications.services import mark_all_notices_read
from notifications.texts import notice_title, process_versions, subject_path
from portal_ui.client_lists import paginate


@login_required
@require_http_methods(["GET", "POST"])
def notices_page(request: HttpRequest) -> HttpResponse:
    client = getattr(request, "active_client", None)
    if request.method == "POST":
        marked = mark_all_notices_read(user=request.user, client=client)
        if marked:
            messages.success(request, _("All notices are marked as read."))
        return redirect("notices-page")
    only_unread = request.GET.get("show") == "unread"
    notices = list_notices_for_user(user=request.user, client=client, unread=True if only_unread else None)
    page, query = paginate(request, notices)
    versions = process_versions(notice.payload for notice in page)
    rows = [
        {
            "notice": notice,
            "title": notice_title(notice.kind, notice.payload, versions=versions),
            "link": subject_path(notice.kind, notice.subject_id, notice.payload),
        }
        for notice in page
    ]
    unread_count = list_notices_for_user(user=request.user, client=client, unread=True).count()
    context = {
        "page": page,
        "query": query,
        "rows": rows,
        "only_unread": only_unread,
        "unread_count": unread_count,
    }
    return render(request, "portal_ui/notices.html", context)
