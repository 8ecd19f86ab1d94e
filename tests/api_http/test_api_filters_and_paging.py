"""Filters and paging answer a value they cannot use with 400 in the error shape naming the parameter,
like the other lists, instead of an empty list (or every row) and no reason."""

from __future__ import annotations

import pytest
from django.utils import timezone

from notifications.models import Notice
from tests.api_http.conftest import assert_error_shape
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["status", "type", "kind"])
def test_an_unknown_value_of_a_request_list_filter_is_a_400(api, name):
    body = assert_error_shape(api.get("/api/requests/", {name: "bad"}), 400)

    assert body["code"] == "invalid"
    assert body["fields"] == {name: ['"bad" nie jest poprawnym wyborem.']}


@pytest.mark.parametrize(
    ("name", "value"), [("status", "in_review"), ("type", "other"), ("kind", "complaint")]
)
def test_a_known_value_of_a_request_list_filter_still_answers(api, name, value):
    assert api.get("/api/requests/", {name: value}).status_code == 200


@pytest.mark.parametrize("name", ["kind", "stage", "type"])
def test_an_unknown_value_of_a_staff_task_filter_is_a_400(api_as, bok_staff, name):
    body = assert_error_shape(api_as(bok_staff).get("/api/staff/tasks/", {name: "bad"}), 400)
    assert list(body["fields"]) == [name]


@pytest.mark.parametrize(
    ("name", "value"), [("kind", "complaint"), ("stage", "staff_review"), ("type", "contract_change")]
)
def test_a_known_value_of_a_staff_task_filter_still_answers(api_as, bok_staff, name, value):
    assert api_as(bok_staff).get("/api/staff/tasks/", {name: value}).status_code == 200


def test_the_staff_task_contract_filter_is_text_a_part_of_the_number(api_as, bok_staff):
    # Not an id: any text is a valid search that may match nothing.
    response = api_as(bok_staff).get("/api/staff/tasks/", {"contract": "abc"})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.fixture
def read_and_unread(client_user, acme) -> tuple[Notice, Notice]:
    unread = Notice.objects.create(recipient=client_user, client=acme, kind="request_stage_changed")
    read = Notice.objects.create(
        recipient=client_user, client=acme, kind="request_stage_changed", read_at=timezone.now()
    )
    return unread, read


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", "unread"), ("1", "unread"), ("false", "read"), ("0", "read"), ("", "all")],
)
def test_the_unread_filter_of_notices_is_a_boolean(api, read_and_unread, value, expected):
    unread, read = read_and_unread
    wanted = {"unread": [unread.pk], "read": [read.pk], "all": sorted([unread.pk, read.pk])}[expected]

    response = api.get("/api/notices/", {"unread": value})

    assert response.status_code == 200
    assert sorted(notice["id"] for notice in response.json()["results"]) == wanted


def test_a_malformed_unread_filter_is_a_400_in_polish(api, read_and_unread):
    body = assert_error_shape(api.get("/api/notices/", {"unread": "bad"}), 400)
    assert body["fields"] == {"unread": ["Wpisz wartość logiczną (true albo false)."]}


def test_an_inverted_date_range_of_the_staff_inbox_is_a_400_like_the_invoices(api_as, bok_staff, api):
    staff = api_as(bok_staff)

    messages = assert_error_shape(
        staff.get("/api/staff/messages/", {"date_from": "2026-06-01", "date_to": "2026-01-01"}), 400
    )
    invoices = assert_error_shape(
        api.get("/api/invoices/", {"issue_date_from": "2026-06-01", "issue_date_to": "2026-01-01"}), 400
    )

    assert list(messages["fields"]) == ["date_to"]
    assert messages["fields"]["date_to"] == invoices["fields"]["issue_date_to"]
    assert (
        staff.get("/api/staff/messages/", {"date_from": "2026-01-01", "date_to": "2026-06-01"}).status_code
        == 200
    )


def test_the_staff_inbox_assignee_filter_is_documented_as_it_is_used(api_as, bok_staff):
    schema = api_as(bok_staff).get("/api/schema/", {"format": "json"}).json()

    parameters = schema["paths"]["/api/staff/messages/"]["get"]["parameters"]
    assignee = next(parameter for parameter in parameters if parameter["name"] == "assignee")
    assert assignee["schema"]["type"] == "string"
    assert '"me"' in assignee["description"] and '"none"' in assignee["description"]
    assert api_as(bok_staff).get("/api/staff/messages/", {"assignee": "me"}).status_code == 200


def test_a_quote_pdf_in_a_language_the_portal_does_not_speak_is_a_400(api, acme_contract):
    url = f"/api/contracts/{acme_contract.pk}/buyout-quotes/999/pdf/"

    body = assert_error_shape(api.get(url, {"lang": "de"}), 400)

    assert list(body["fields"]) == ["lang"]
    assert api.get(url, {"lang": "en"}).status_code == 404  # a known language: the quote is looked up


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "１"])
def test_a_page_that_is_not_a_whole_number_from_one_is_a_400(api, acme, page):
    InvoiceFactory.create_batch(3, client=acme)

    body = assert_error_shape(api.get("/api/invoices/", {"page": page}), 400)

    assert body["fields"] == {"page": ['Wpisz numer strony: liczbę całkowitą od 1 albo "last".']}


def test_a_page_past_the_last_is_still_not_found(api, acme):
    InvoiceFactory.create_batch(3, client=acme)
    assert assert_error_shape(api.get("/api/invoices/", {"page": "2"}), 404)["code"] == "not_found"


@pytest.mark.parametrize("page_size", ["abc", "0", "-5", "2.5"])
def test_a_page_size_that_is_not_a_whole_number_from_one_is_a_400(api, acme, page_size):
    body = assert_error_shape(api.get("/api/invoices/", {"page_size": page_size}), 400)
    assert body["fields"] == {
        "page_size": ["Wpisz liczbę całkowitą od 1 (strona mieści najwyżej 200 wierszy)."]
    }


def test_the_links_carry_the_page_size_used(api, acme):
    InvoiceFactory.create_batch(3, client=acme)

    small = api.get("/api/invoices/", {"page_size": "2"}).json()
    capped = api.get("/api/invoices/", {"page_size": "100000", "page": "1"}).json()

    assert "page_size=2" in small["next"]
    assert capped["next"] is None and capped["count"] == 3  # 200 a page: one page
    InvoiceFactory.create_batch(200, client=acme)
    capped = api.get("/api/invoices/", {"page_size": "100000"}).json()
    assert "page_size=200" in capped["next"] and "100000" not in capped["next"]
