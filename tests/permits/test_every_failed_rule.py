"""A permit request that breaks several rules of the DMN table: staff see every failed rule before they
approve anyway, the client's history says the same, and the issued permit records them all. A row
written before (one rule, `failed_rule` only) still reads as it did."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.permits.models import VehiclePermit
from backend.requests_app import history
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.factories import InvoiceFactory
from tests.permits.test_permit_api import submit, trip
from tests.permits.test_permit_staff_view import (
    RULE_EN,
    RULE_PL,
    approve,
    client_page,
    element,
    staff_page,
    text_of,
)

pytestmark = pytest.mark.django_db

TOO_LONG_PL, TOO_LONG_EN = "Wyjazd trwa dłużej niż 90 dni.", "The stay abroad is longer than 90 days."


@pytest.fixture
def held_for_two_rules(api_as, client_user, vehicle_contract, django_capture_on_commit_callbacks) -> int:
    """An overdue invoice and a 91-day trip: two rules fail."""
    today = timezone.localdate()
    InvoiceFactory(
        client=vehicle_contract.client,
        issue_date=today - timedelta(days=40),
        due_date=today - timedelta(days=26),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(api_as(client_user), vehicle_contract, trip(["DE"], days=91))
    assert response.json()["status"] == "in_review", response.json()
    return response.json()["id"]


@pytest.mark.parametrize(
    ("language", "first", "second"), [("pl", RULE_PL, TOO_LONG_PL), ("en", RULE_EN, TOO_LONG_EN)]
)
def test_staff_see_every_failed_rule(held_for_two_rules, bok_staff, language, first, second):
    response = staff_page(bok_staff, held_for_two_rules, language)
    box = text_of(element(response, "permit-rule"))
    assert first in box and second in box
    assert ("Niespełnione reguły" if language == "pl" else "The rules that were not met") in box
    # the overdue invoices are still linked while another rule failed too
    assert 'id="permit-rule-invoices"' in response.content.decode()


def test_the_client_reads_every_failed_rule_in_the_history(held_for_two_rules, client_user):
    html = text_of(client_page(client_user, held_for_two_rules).content.decode())
    assert RULE_PL in html and TOO_LONG_PL in html


def test_the_api_names_every_failed_rule(api_as, bok_staff, held_for_two_rules):
    detail = api_as(bok_staff).get(f"/api/staff/requests/{held_for_two_rules}/").json()
    (row,) = [event for event in detail["history"] if event["kind"] == "rule_failed"]
    assert row["data"]["failed_rules"] == ["overdue_invoices", "too_long"]
    assert row["data"]["failed_rule"] == "overdue_invoices"


def test_the_permit_approved_anyway_records_every_failed_rule(
    api_as, bok_staff, held_for_two_rules, django_capture_on_commit_callbacks
):
    permit = approve(api_as, bok_staff, held_for_two_rules, django_capture_on_commit_callbacks)
    assert permit.failed_rule == "overdue_invoices,too_long"
    assert (permit.date_to - permit.date_from).days + 1 == 91
    assert VehiclePermit.objects.count() == 1


def test_a_row_written_with_one_rule_still_shows(held_for_two_rules, bok_staff):
    # a request held before several rules were listed: its row has failed_rule and one message
    portal_request = PortalRequest.objects.get(pk=held_for_two_rules)
    RequestEvent.objects.filter(request=portal_request, kind=RequestEvent.Kind.RULE_FAILED).delete()
    history.rule_failed(
        portal_request, message=RULE_PL, data={"failed_rule": "overdue_invoices", "message_en": RULE_EN}
    )
    response = staff_page(bok_staff, held_for_two_rules)
    box = element(response, "permit-rule")
    assert 'data-rule="overdue_invoices"' in box and RULE_PL in text_of(box)
    assert "Niespełniona reguła" in text_of(box)
    assert 'id="permit-rule-invoices"' in response.content.decode()
