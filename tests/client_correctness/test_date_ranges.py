"""An inverted date range (from after to) says so: a field error on the page, a 400 on the API."""

from __future__ import annotations

import pytest

from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db

INVERTED = "Zakres dat jest odwrócony"


@pytest.mark.parametrize(
    ("url", "start", "end"),
    [
        ("/invoices/", "issue_date_from", "issue_date_to"),
        ("/invoices/", "due_date_from", "due_date_to"),
        ("/documents/", "date_from", "date_to"),
    ],
)
def test_the_page_says_the_range_is_inverted(client, client_user, url, start, end):
    response = logged_in(client, client_user).get(url, {start: "2026-05-01", end: "2026-04-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert INVERTED in visible_text(body)
    assert "01.05.2026" in visible_text(body)  # names the start date
    assert 'aria-invalid="true"' in body


def test_a_correct_range_has_no_message(client, client_user):
    response = logged_in(client, client_user).get(
        "/invoices/", {"issue_date_from": "2026-04-01", "issue_date_to": "2026-05-01"}
    )
    assert INVERTED not in visible_text(response.content.decode())


@pytest.mark.parametrize(
    ("url", "start", "end"),
    [
        ("/api/invoices/", "issue_date_from", "issue_date_to"),
        ("/api/invoices/archive/", "due_date_from", "due_date_to"),
        ("/api/contracts/", "start_date_from", "start_date_to"),
        ("/api/contracts/", "end_date_from", "end_date_to"),
        ("/api/documents/", "date_from", "date_to"),
    ],
)
def test_the_api_answers_400_in_the_error_shape(api_as, client_user, url, start, end):
    response = api_as(client_user).get(url, {start: "2026-05-01", end: "2026-04-01"})
    assert response.status_code == 400
    payload = response.json()
    assert set(payload) >= {"code", "message", "fields"}
    assert INVERTED in payload["fields"][end][0]


def test_the_same_day_is_not_inverted(api_as, client_user):
    response = api_as(client_user).get(
        "/api/invoices/", {"issue_date_from": "2026-05-01", "issue_date_to": "2026-05-01"}
    )
    assert response.status_code == 200
