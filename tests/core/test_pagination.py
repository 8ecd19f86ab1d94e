"""backend.core.pagination: the last page knows the count without COUNT(*); every answer is the one
Django's own Paginator gave (#18)."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.core.pagination import LastPageCountingPaginator, PortalPagination
from backend.invoices.models import Invoice
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

LIST = "/api/invoices/"


@pytest.fixture
def api(api_as, client_user):
    api = api_as(client_user)
    api.get(LIST)  # the session's first request stamps it (a write): not the list's own work
    return api


def read(api, params: dict) -> tuple[int, bytes, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(LIST, params)
    return response.status_code, response.content, [q["sql"] for q in captured.captured_queries]


def stock(api, params: dict, monkeypatch) -> tuple[int, bytes]:
    with monkeypatch.context() as patch:
        patch.setattr(PortalPagination, "django_paginator_class", Paginator)
        response = api.get(LIST, params)
    return response.status_code, response.content


def counts(statements: list[str]) -> int:
    return sum('COUNT(*) AS "__count"' in sql for sql in statements)


@pytest.mark.parametrize("invoices", [0, 1, 24, 25, 26, 49, 50, 51])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"page": "3"},
        {"page": "last"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "1.5"},
        {"page": "99"},
        {"page_size": "10", "page": "3"},
        {"number": "00001"},  # a filter
    ],
)
def test_every_page_answers_as_djangos_paginator(api, acme, monkeypatch, invoices, params):
    InvoiceFactory.create_batch(invoices, client=acme)

    status, body, _statements = read(api, params)

    assert (status, body) == stock(api, params, monkeypatch)


def test_the_last_page_and_a_short_list_need_no_count(api, acme):
    InvoiceFactory.create_batch(30, client=acme)

    _status, first, first_statements = read(api, {})
    _status, last, last_statements = read(api, {"page": "2"})
    _status, short, short_statements = read(api, {"page_size": "50"})

    assert b'"count":30' in first and b'"count":30' in last and b'"count":30' in short
    assert counts(first_statements) == 1  # rows follow the first page: they are counted
    assert counts(last_statements) == 0
    assert counts(short_statements) == 0
    assert len(last_statements) == len(first_statements) - 1


def test_an_empty_list_is_one_page_without_a_count(api):
    status, body, statements = read(api, {})
    assert (status, counts(statements)) == (200, 0)
    assert body == b'{"count":0,"next":null,"previous":null,"results":[]}'


def test_a_page_past_the_end_is_not_found(api, acme):
    InvoiceFactory.create_batch(3, client=acme)
    status, body, _statements = read(api, {"page": "2"})
    assert status == 404
    assert body == b'{"code":"not_found","message":"Niepoprawna strona.","fields":{}}'


def test_orphans_and_a_known_count_take_djangos_way(acme):
    InvoiceFactory.create_batch(7, client=acme)
    invoices = Invoice.objects.order_by("id")

    with_orphans = LastPageCountingPaginator(invoices, 3, orphans=1)
    assert [len(with_orphans.page(n)) for n in (1, 2)] == [3, 4]
    assert with_orphans.num_pages == 2

    counted = LastPageCountingPaginator(invoices, 3)
    assert counted.count == 7
    assert len(counted.page(3)) == 1


def test_no_empty_first_page_when_not_allowed(acme):
    from django.core.paginator import EmptyPage

    paginator = LastPageCountingPaginator(Invoice.objects.order_by("id"), 3, allow_empty_first_page=False)
    with pytest.raises(EmptyPage):
        paginator.page(1)


def test_a_page_number_beyond_any_offset_is_not_found_not_a_500(api, acme):
    for page in (str(2**63), "1180591620717411303424"):
        response = api.get("/api/invoices/", {"page": page})
        assert response.status_code == 404, page
        assert response.json()["code"] == "not_found"
