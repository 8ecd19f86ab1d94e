"""List pages as a user meets them: one paging (25 a page, "Wyświetlono x–y z N") on every list, a bad page
number shows the first page, and a refused filter value is said at its field instead of being dropped."""

import pytest
from django.utils import timezone

from tests.factories import InvoiceFactory
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(acme):
    return InvoiceFactory.create_batch(30, client=acme, issue_date=timezone.localdate())


@pytest.fixture
def browser(client, client_user):
    client.force_login(client_user)
    return client


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_a_bad_page_number_shows_the_first_page(browser, invoices, page):
    body = browser.get("/invoices/", {"page": page}).content.decode()

    assert "Wyświetlono 1–25 z 30" in body


def test_a_page_past_the_end_shows_the_last_one(browser, invoices):
    assert "Wyświetlono 26–30 z 30" in browser.get("/invoices/", {"page": "99"}).content.decode()


def test_a_refused_filter_value_is_said_at_its_field_and_the_list_is_not_called_filtered(browser, invoices):
    body = browser.get("/invoices/", {"status": "bogus", "currency": "XXX"}).content.decode()

    assert 'id="f-status-error"' in body and 'id="f-currency-error"' in body
    assert "Wybierz poprawną wartość" in body
    assert "przefiltrowane" not in body
    assert "Wyświetlono 1–25 z 30" in body


def test_the_request_list_pages_like_the_other_lists_and_says_a_refused_status(browser, client_user, acme):
    request = submit_other_request(client_user, acme, subject="Pytanie o fakturę")

    plain = browser.get("/requests/", {"page": "-1"}).content.decode()
    bogus = browser.get("/requests/", {"status": "bogus"}).content.decode()

    assert 'class="pagination-info"' in plain  # the shared partial's count, not "Strona 1 z 1"
    assert 'id="flt-status-error"' in bogus and "nie jest poprawnym wyborem" in bogus
    assert request.number in bogus  # not applied: the list, not "Żaden wniosek nie spełnia kryteriów…"


def test_the_staff_task_list_says_an_impossible_due_date_and_an_unknown_kind(
    client, bok_staff, client_user, acme
):
    request = submit_other_request(client_user, acme)
    client.force_login(bok_staff)

    due = client.get("/staff/tasks/", {"due_before": "2026-02-31"}).content.decode()
    kind = client.get("/staff/tasks/", {"kind": "bogus"}).content.decode()

    assert 'id="flt-due-error"' in due and "Taka data nie istnieje." in due
    assert 'id="flt-kind-error"' in kind and request.number in kind
    assert 'class="pagination-info"' in kind


def test_the_api_due_date_message_is_readable(api_as, bok_staff):
    body = api_as(bok_staff).get("/api/staff/tasks/", {"due_before": "jutro"}).json()

    assert body["fields"]["due_before"] == [
        "Wpisz datę jako dd.mm.rrrr lub rrrr-mm-dd albo datę z godziną jako rrrr-mm-ddThh:mm."
    ]


def test_an_oversized_page_size_is_capped_and_the_schema_says_so(api_as, client_user):
    schema = api_as(client_user).get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/invoices/"]["get"]["parameters"]
    page_size = next(p for p in parameters if p["name"] == "page_size")

    assert "maximum" not in page_size["schema"]
    assert "200" in page_size["description"]
