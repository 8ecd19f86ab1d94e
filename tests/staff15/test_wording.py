"""English wording of the staff screens: "Reason for …", the permit rule's overdue invoices in a sentence
with its plural, and the inbox counting its threads once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import Client as PageClient
from django.utils import translation

from backend.messaging.client_writes import start_thread
from backend.requests_app import task_hands
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = pytest.mark.django_db


def english_browser(user) -> PageClient:
    user.language = "en"
    user.save(update_fields=["language"])
    browser = PageClient()
    browser.force_login(user)
    return browser


def test_the_reject_form_asks_for_the_reason_for_the_rejection(bok_staff, client_user, acme):
    portal_request = submit_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)

    body = english_browser(bok_staff).get(f"/staff/tasks/{portal_request.pk}/").content.decode()

    assert "Reason for the rejection" in body
    assert "Reason of" not in body


def test_the_inbox_counts_its_threads_once(bok_staff, client_user, acme):
    for subject in ("Faktura", "Harmonogram"):
        start_thread(
            user=client_user, client=acme, subject=subject, category="invoices", body="Treść", contract=None
        )

    body = english_browser(bok_staff).get("/staff/messages/").content.decode()

    assert "(2 threads)" in body
    assert "2 items" not in body


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        (
            "en",
            1,
            "The client has 1 overdue invoice now: its number, due date and amount are in the contract card.",
        ),
        (
            "en",
            3,
            "The client has 3 overdue invoices now: their numbers, due dates and amounts are in the contract",
        ),
        ("pl", 1, "Klient ma teraz 1 zaległą fakturę"),
        ("pl", 5, "Klient ma teraz 5 zaległych faktur"),
    ],
)
def test_the_permit_rule_says_how_many_overdue_invoices_in_a_sentence(language, count, expected):
    item = SimpleNamespace(
        event=SimpleNamespace(kind="rule_failed", data={"failed_rule": "overdue_invoices"})
    )
    context = {"history": [item], "contract_card": {"overdue_count": count}, "can_decide": False}

    with translation.override(language):
        html = render_to_string("permits/_staff_rule.html", context)

    assert expected in " ".join(html.split())


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "Reason for the decision"), ("pl", "Uzasadnienie decyzji")]
)
def test_the_clients_request_page_names_the_reason_for_the_decision(
    bok_staff, client_user, acme, lang, label
):
    from backend.requests_app import decisions

    portal_request = submit_request(client_user, acme)
    decisions.decide_request(
        actor=bok_staff, request_id=portal_request.pk, decision="reject", reason="Brak podpisu."
    )
    client_user.language = lang
    client_user.save(update_fields=["language"])
    browser = PageClient()
    browser.force_login(client_user)

    body = browser.get(f"/requests/{portal_request.pk}/").content.decode()

    assert f"<dt>{label}</dt>" in body
    assert "Reason of" not in body
