"""A permit request held for staff by a failed rule (the client has an overdue invoice), as the client's
and the staff's pages show it: the history in order and in the reader's language, the rule box, the
approve form's answer field, and the issued permit's dates through the portal's one date formatter."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone

from backend.core.money import format_date
from backend.invoices.models import Invoice
from backend.permits.models import VehiclePermit
from backend.requests_app.models import RequestEvent
from tests.factories import InvoiceFactory
from tests.permits.test_permit_api import submit, trip
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

RULE_PL, RULE_EN = "Klient ma zaległe faktury.", "The client has overdue invoices."
INSTRUCTION_PL = "Zatwierdź, aby mimo to wydać zgodę"


@pytest.fixture
def held_permit(api_as, client_user, vehicle_contract, django_capture_on_commit_callbacks) -> int:
    """The id of a permit request the overdue-invoices rule sent to staff."""
    today = timezone.localdate()
    InvoiceFactory(
        client=vehicle_contract.client,
        issue_date=today - timedelta(days=40),
        due_date=today - timedelta(days=26),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(api_as(client_user), vehicle_contract, trip())
    assert response.json()["status"] == "in_review", response.json()
    return response.json()["id"]


def page_as(user, language: str = "pl") -> PageClient:
    user.language = language
    user.save(update_fields=["language"])
    page = PageClient()
    page.force_login(user)
    return page


def staff_page(user, request_id: int, language: str = "pl"):
    response = page_as(user, language).get(reverse("staff-task-page", args=[request_id]))
    assert response.status_code == 200
    return response


def client_page(user, request_id: int, language: str = "pl"):
    response = page_as(user, language).get(reverse("request-page", args=[request_id]))
    assert response.status_code == 200
    return response


def approve(api_as, staff, request_id: int, capture) -> VehiclePermit:
    with capture(execute=True):
        response = api_as(staff).post(
            f"/api/staff/requests/{request_id}/approve/",
            {"answer": "Faktura zapłacona, potwierdzenie w załączniku."},
            format="json",
        )
    assert response.status_code == 200, response.json()
    return VehiclePermit.objects.get(request_id=request_id)


def element(response, element_id: str) -> str:
    """The HTML of the element with this id (a <section> or <p>), up to its closing tag."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"#{element_id} is not on the page"
    return match.group(0)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# -- 1. the issued permit's dates -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_issued_permit_shows_its_travel_dates_like_the_request_data(
    api_as, bok_staff, held_permit, language, django_capture_on_commit_callbacks
):
    permit = approve(api_as, bok_staff, held_permit, django_capture_on_commit_callbacks)

    box = text_of(element(staff_page(bok_staff, held_permit, language), "permit-state"))

    dates = f"{format_date(permit.date_from, lang=language)} – {format_date(permit.date_to, lang=language)}"
    assert dates in box


def test_the_revoked_permit_shows_its_revocation_day_with_the_one_formatter(
    api_as, bok_staff, held_permit, django_capture_on_commit_callbacks
):
    approve(api_as, bok_staff, held_permit, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(bok_staff).post(
            f"/api/staff/requests/{held_permit}/revoke-permit/",
            {"reason": "Umowa wypowiedziana."},
            format="json",
        )
    assert response.status_code == 200, response.json()

    revoked = text_of(element(staff_page(bok_staff, held_permit, "en"), "permit-revoked"))

    assert f"Revoked on {format_date(timezone.localdate(), lang='en')}." in revoked


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_public_verification_page_shows_the_validity_with_the_one_formatter(
    api_as, bok_staff, held_permit, language, django_capture_on_commit_callbacks
):
    permit = approve(api_as, bok_staff, held_permit, django_capture_on_commit_callbacks)
    page = PageClient()
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = page.get(reverse("permit-verify", args=[permit.code])).content.decode()

    assert (
        f"{format_date(permit.date_from, lang=language)} – {format_date(permit.date_to, lang=language)}"
        in html
    )


# -- 2. the failed rule in the history and in the staff's rule box ----------------------------------


def test_the_request_is_submitted_before_its_rule_fails(held_permit, client_user, bok_staff):
    kinds = list(RequestEvent.objects.filter(request_id=held_permit).values_list("kind", flat=True))
    assert kinds.index(RequestEvent.Kind.SUBMITTED) < kinds.index(RequestEvent.Kind.RULE_FAILED)
    for response in (client_page(client_user, held_permit), staff_page(bok_staff, held_permit)):
        shown = [item["event"].kind for item in response.context["history"]]
        assert shown[:2] == [RequestEvent.Kind.SUBMITTED, RequestEvent.Kind.RULE_FAILED]


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("pl", RULE_PL, RULE_EN), ("en", RULE_EN, RULE_PL)]
)
def test_the_failed_rule_reads_in_the_viewers_language(
    held_permit, client_user, bok_staff, language, shown, hidden
):
    for response in (
        client_page(client_user, held_permit, language),
        staff_page(bok_staff, held_permit, language),
    ):
        history = text_of(element(response, "request-history"))
        assert shown in history and hidden not in history


def test_staff_see_the_rules_message_not_its_id(held_permit, bok_staff):
    box = element(staff_page(bok_staff, held_permit), "permit-rule")
    assert 'data-rule="overdue_invoices"' in box  # kept for scripts and tests, not shown
    assert "overdue_invoices" not in text_of(box)
    assert RULE_PL in text_of(box)


def test_the_overdue_invoices_rule_leads_to_which_invoices(held_permit, bok_staff):
    page = staff_page(bok_staff, held_permit)
    box = element(page, "permit-rule")
    assert 'href="#overdue-invoices-title"' in box
    assert "Klient ma teraz 1 zaległą fakturę: jej numer, termin i kwota są w karcie umowy." in text_of(box)
    invoice = Invoice.objects.get()  # the overdue one: number, due date and amount in the contract card
    card = text_of(element(page, "contract-card"))
    assert f"{invoice.number} {format_date(invoice.due_date)} 1 230,00 zł" in card.replace("\xa0", " ")


def test_the_approve_anyway_instruction_shows_only_while_the_decision_is_pending(
    api_as, bok_staff, held_permit, django_capture_on_commit_callbacks
):
    assert INSTRUCTION_PL in text_of(element(staff_page(bok_staff, held_permit), "permit-rule"))

    approve(api_as, bok_staff, held_permit, django_capture_on_commit_callbacks)

    box = text_of(element(staff_page(bok_staff, held_permit), "permit-rule"))
    assert RULE_PL in box and INSTRUCTION_PL not in box


# -- 3. the approve form's answer: required for a permit, as the server says ------------------------


def answer_label(response) -> str:
    return text_of(re.search(r'<label for="approve-answer">.*?</label>', response.content.decode(), re.S)[0])


def test_approving_a_held_permit_asks_for_the_answer_as_required(held_permit, bok_staff):
    response = staff_page(bok_staff, held_permit)

    assert response.context["answer_required"] is True
    assert answer_label(response) == "Odpowiedź dla klienta *"
    assert re.search(r'<textarea id="approve-answer"[^>]*\srequired', response.content.decode())
    # and the server refuses the empty answer the label asks for
    refused = page_as(bok_staff).post(
        reverse("staff-task-action", args=[held_permit, "approve"]), {"answer": ""}
    )
    assert refused.status_code == 400
    assert refused.context["errors"]["answer"]
    assert refused.context["answer_required"] is True


def test_an_optional_answer_is_labelled_optional_and_may_stay_empty(
    api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = api_as(client_user).post(
            "/api/requests/",
            submission(
                "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
            ),
            format="json",
        )
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    response = staff_page(bok_staff, request_id)

    assert response.context["answer_required"] is False
    assert answer_label(response) == "Odpowiedź dla klienta (opcjonalnie)"
    with django_capture_on_commit_callbacks(execute=True):
        approved = page_as(bok_staff).post(
            reverse("staff-task-action", args=[request_id, "approve"]), {"answer": ""}
        )
    assert approved.status_code == 302


def test_the_answer_is_not_required_once_nothing_waits_for_a_decision(
    api_as, bok_staff, held_permit, django_capture_on_commit_callbacks
):
    approve(api_as, bok_staff, held_permit, django_capture_on_commit_callbacks)
    assert staff_page(bok_staff, held_permit).context["answer_required"] is False
