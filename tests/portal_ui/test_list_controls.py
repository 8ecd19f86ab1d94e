"""Controls shared by the list pages: the choice filters (one partial) and the sortable column headers."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.requests_app.models import RequestKind
from tests.factories import ContractFactory, InvoiceFactory
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_client_pages import _document, _thread
from tests.portal_ui.test_request_pages import payment_day_form

pytestmark = pytest.mark.django_db


def select_html(body: str, select_id: str) -> str:
    match = re.search(
        rf'<label for="{select_id}">[^<]*</label>\s*<select id="{select_id}".*?</select>', body, re.S
    )
    assert match, f"no labelled select #{select_id}"
    return match.group(0)


# --- choice filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "select_id", "param", "value"),
    [
        ("invoices", "f-status", "status", "overdue"),
        ("invoices", "f-currency", "currency", "EUR"),
        ("contracts", "f-type", "type", "operating_lease"),
        ("documents", "f-kind", "kind", "compensation_note"),
        ("messages", "f-category", "category", "invoices"),
        ("request-list", "flt-status", "status", "open"),
        ("request-list", "flt-kind", "kind", "other_request"),
    ],
)
def test_client_choice_filters_offer_all_first_and_keep_the_chosen_value(
    client, client_user, acme, name, select_id, param, value
):
    # given a client on a list page filtered by one choice
    body = logged_in(client, client_user).get(reverse(name), {param: value}).content.decode()
    # then the select is labelled, starts with "All" and keeps the submitted value selected
    html = select_html(body, select_id)
    assert f'name="{param}"' in html
    assert re.search(r'<select[^>]*>\s*<option value="">Wszystkie</option>', html)
    assert f'<option value="{value}" selected>' in html
    assert html.count(" selected") == 1


def test_contract_choice_filter_keeps_the_chosen_contract(client, client_user, acme):
    first, second = ContractFactory(client=acme), ContractFactory(client=acme)
    for name, select_id in [
        ("invoices", "f-contract"),
        ("messages", "f-contract"),
        ("request-list", "flt-contract"),
    ]:
        body = logged_in(client, client_user).get(reverse(name), {"contract": second.pk}).content.decode()
        html = select_html(body, select_id)
        assert f'<option value="{second.pk}" selected>{second.number}</option>' in html
        assert f'<option value="{first.pk}">{first.number}</option>' in html


def test_staff_choice_filters_keep_values_and_name_the_empty_choice(client, bok_staff):
    body = (
        logged_in(client, bok_staff)
        .get(reverse("staff-task-list"), {"stage": "staff_review", "assignee": "none"})
        .content.decode()
    )
    assert '<option value="staff_review" selected>' in select_html(body, "flt-stage")
    assignee = select_html(body, "flt-assignee")
    assert '<option value="">Ktokolwiek</option>' in assignee
    assert '<option value="none" selected>' in assignee and '<option value="me">' in assignee


# --- sortable column headers ------------------------------------------------------------------------


def table_body(body: str) -> str:
    return body[body.index("<tbody") : body.index("</tbody>")]


def shown_order(body: str, markers: list[str]) -> list[str]:
    rows = table_body(body).replace("<wbr>", "")  # numbers may wrap at their "/" (breakable)
    assert all(marker in rows for marker in markers)
    return sorted(markers, key=rows.index)


def _invoices(acme, **_):
    today = timezone.localdate()
    for number, gross, age in [("FV/A", "100.00", 1), ("FV/B", "300.00", 2), ("FV/C", "200.00", 3)]:
        InvoiceFactory(
            client=acme, number=number, gross_total=Decimal(gross), issue_date=today - timedelta(age)
        )
    # newest first by default; by gross amount when sorted
    return "gross_total", ["FV/A", "FV/B", "FV/C"], ["FV/A", "FV/C", "FV/B"]


def _contracts(acme, **_):
    today = timezone.localdate()
    for number, value, age in [("UL/A", "90000", 10), ("UL/B", "50000", 20), ("UL/C", "70000", 30)]:
        ContractFactory(
            client=acme,
            number=number,
            net_value=Decimal(value),
            start_date=today - timedelta(age),
            schedule=False,
        )
    return "net_value", ["UL/A", "UL/B", "UL/C"], ["UL/B", "UL/C", "UL/A"]


def _documents(acme, **_):
    today = timezone.localdate()
    for title, age in [("Beta", 1), ("Gamma", 2), ("Alfa", 3)]:
        _document(acme, title=title, day=today - timedelta(age))
    return "title", ["Beta", "Gamma", "Alfa"], ["Alfa", "Beta", "Gamma"]


def _messages(acme, client_user, **_):
    for subject in ["Beta", "Alfa", "Gamma"]:
        _thread(client_user, acme, subject=subject)
    # the latest activity first by default
    return "subject", ["Gamma", "Alfa", "Beta"], ["Alfa", "Beta", "Gamma"]


def _requests(acme, client_user, client, **_):
    logged_in(client, client_user)
    for n, number in enumerate(["UL/B", "UL/C", "UL/A"]):
        contract = ContractFactory(client=acme, number=number, payment_day=15)
        form = payment_day_form(contract, idempotency_key=f"key-{n}")
        assert client.post(f"/requests/new/{RequestKind.PAYMENT_DATE_CHANGE}/", form).status_code == 302
    return "contract", ["UL/A", "UL/C", "UL/B"], ["UL/A", "UL/B", "UL/C"]


def _tasks(acme, client_user, client, bok_staff, **kwargs):
    _requests(acme, client_user, client)
    logged_in(client, bok_staff)
    # the soonest due (the oldest request) first by default
    return "contract", ["UL/B", "UL/C", "UL/A"], ["UL/A", "UL/B", "UL/C"]


LISTS = {
    "invoices": _invoices,
    "contracts": _contracts,
    "documents": _documents,
    "messages": _messages,
    "request-list": _requests,
    "staff-task-list": _tasks,
}


@pytest.fixture
def sorted_list(request, client, client_user, acme, bok_staff):
    """Log in the list's user, make three rows; return (url, sort key, default order, ascending order)."""
    name = request.param
    logged_in(client, client_user)
    key, default, ascending = LISTS[name](
        acme=acme, client_user=client_user, client=client, bok_staff=bok_staff
    )
    return reverse(name), key, default, ascending


@pytest.mark.parametrize("sorted_list", list(LISTS), indirect=True)
def test_each_list_sorts_both_ways_and_ignores_an_unknown_key(client, sorted_list):
    url, key, default, ascending = sorted_list
    # when the list is asked for each order, then its rows come in that order
    assert shown_order(client.get(url).content.decode(), default) == default
    assert shown_order(client.get(url, {"sort": key}).content.decode(), ascending) == ascending
    assert shown_order(client.get(url, {"sort": f"-{key}"}).content.decode(), ascending) == ascending[::-1]
    # an unknown key (or a column that is not sortable) keeps the default order
    for unknown in ["bogus", "-client__password", "status", "-"]:
        response = client.get(url, {"sort": unknown})
        assert response.status_code == 200
        assert shown_order(response.content.decode(), default) == default


@pytest.mark.parametrize("sorted_list", list(LISTS), indirect=True)
def test_the_sorted_column_says_so_and_its_link_turns_the_order(client, sorted_list):
    url, key, _default, _ascending = sorted_list
    # given the list sorted ascending by the key
    body = client.get(url, {"sort": key}).content.decode()
    # then only that column carries aria-sort, with the arrow, and its link sorts descending
    assert body.count("aria-sort=") == 1
    header = re.search(
        r'<th scope="col"[^>]*aria-sort="ascending"><a [^>]*href="([^"]*)"[^>]*>.*?</th>', body, re.S
    )
    assert header and header.group(1) == f"?sort=-{key}"
    assert '<span class="sort-arrow" aria-hidden="true">▲</span>' in header.group(0)
    # and descending turns it back
    body = client.get(url, {"sort": f"-{key}"}).content.decode()
    header = re.search(r'<th scope="col"[^>]*aria-sort="descending"><a [^>]*href="([^"]*)"', body)
    assert header and header.group(1) == f"?sort={key}"


def test_the_default_order_is_shown_on_its_column(client, client_user, acme):
    InvoiceFactory(client=acme)
    body = logged_in(client, client_user).get(reverse("invoices")).content.decode()
    assert body.count("aria-sort=") == 1
    assert re.search(
        r'aria-sort="descending"><a class="sort-link sorted" href="\?sort=issue_date">Data wystawienia', body
    )


def test_sort_links_keep_the_filters_and_start_from_page_one(client, client_user, acme):
    contract = ContractFactory(client=acme, schedule=False)
    InvoiceFactory(client=acme, contract=contract)
    params = {"status": "unpaid", "contract": contract.pk, "page": "1", "sort": "-number"}
    response = logged_in(client, client_user).get(reverse("invoices"), params)
    links = re.findall(r'class="sort-link[^"]*" href="\?([^"]*)"', response.content.decode())
    assert len(links) == 6
    for link in links:
        assert link.startswith(f"status=unpaid&amp;contract={contract.pk}&amp;sort=")
        assert "page=" not in link
    # and the page links keep the order
    assert response.context["query"] == f"status=unpaid&contract={contract.pk}&sort=-number"
    # a sort order alone is not a filter
    assert (
        "Wyczyść filtry"
        not in logged_in(client, client_user).get(reverse("invoices"), {"sort": "number"}).content.decode()
    )


def test_staff_sort_links_keep_the_filters(client, bok_staff):
    body = (
        logged_in(client, bok_staff)
        .get(reverse("staff-task-list"), {"assignee": "none", "sort": "client"})
        .content.decode()
    )
    # no rows: the table (and its headers) are not shown, but the filter is kept
    assert '<option value="none" selected>' in body


@pytest.mark.parametrize(
    ("name", "sort"),
    [
        ("invoices", "-contract"),
        ("contracts", "capital_remaining"),
        ("documents", "contract"),
        ("messages", "-message_count"),
    ],
)
def test_a_sorted_list_page_needs_no_more_queries_with_more_rows(client, client_user, acme, name, sort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_rows(count: int) -> None:
        for _ in range(count):
            contract = ContractFactory(client=acme, schedule=False)
            InvoiceFactory(client=acme, contract=contract)
            _document(acme, title=f"Dok {contract.number}", contract=contract)
            _thread(client_user, acme, contract=contract)

    def queries(params: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name), params).status_code == 200
        return len(captured)

    # given a few rows (a first visit slides the session: it is not the page's cost)
    logged_in(client, client_user)
    add_rows(2)
    queries({})
    unsorted = queries({})
    # (the list remembers a new query for its detail pages' way back once: a session write)
    queries({"sort": sort})
    # then sorting costs no query, and more rows cost none either
    assert queries({"sort": sort}) == unsorted
    add_rows(8)
    assert queries({"sort": sort}) == unsorted


def test_sorted_request_and_task_lists_need_no_more_queries(client, client_user, acme, bok_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str, params: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    _requests(acme=acme, client_user=client_user, client=client)
    for user, name, sort in [
        (client_user, "request-list", "-contract"),
        (bok_staff, "staff-task-list", "assignee"),
    ]:
        logged_in(client, user)
        queries(reverse(name), {})
        assert queries(reverse(name), {"sort": sort}) == queries(reverse(name), {})
