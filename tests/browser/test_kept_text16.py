"""Journeys in headless Chromium: text typed into a form survives a session that expired before its send,
the language switch and leaving by the menu; the files chosen are named to be chosen again; the restore
offer says truly whether the server had the text."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session

from backend.messaging.client_writes import start_thread
from backend.requests_app import task_hands
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.request_helpers import submit_other_request
from tests.second_factor_helpers import code_for, enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPIRED = "Sesja wygasła, więc formularz nie został wysłany."
PUT_BACK = "Przywrócono wpisany tutaj tekst; nie został jeszcze wysłany."
CHOOSE_AGAIN = "Wybierz ponownie te pliki (przeglądarka nie może ich zachować): skan.pdf."
SAVED = re.compile(r"Szkic zapisany \d\d:\d\d")
PDF = {"name": "skan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}


def log_in_on_this_page(page, user) -> None:
    """The login page the expired send led to (its ?next= kept): password, then the code if needed."""
    page.wait_for_url("**/login/**")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    if page.locator("#id_code").count():
        page.fill("#id_code", code_for(enrol(user)))
        with page.expect_navigation():
            page.click("form button[type=submit].primary")


@pytest.fixture
def task(acme, client_user, bok_staff):
    portal_request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    return portal_request


def test_a_reject_sent_after_the_session_expired_comes_back_with_its_files_named(page, task, bok_staff):
    # given: a reject reason with a file, and an answer in the other form
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{task.pk}/")
    page.fill("#reject-reason", "Brak skanu umowy.")
    page.set_input_files("#reject-files", PDF)
    page.fill("#approve-answer", "Odpowiedź w drugim formularzu.")

    # when: the session ends, the reject is sent, and the user logs in again
    Session.objects.all().delete()
    page.locator("#form-reject").get_by_role("button", name="Odrzuć wniosek").click()
    page.click("#decision-confirm-ok")  # the decision asks first
    log_in_on_this_page(page, bok_staff)

    # then: back on the task, told the session had expired, the sent form's text is back too
    page.wait_for_url(f"**/staff/tasks/{task.pk}/")
    assert EXPIRED in page.locator(".messages").inner_text()
    assert page.locator("#reject-reason").input_value() == "Brak skanu umowy."
    assert page.locator("#approve-answer").input_value() == "Odpowiedź w drugim formularzu."
    note = page.locator("#form-reject").locator("xpath=preceding-sibling::p[@data-testid='kept-typed']")
    assert note.inner_text() == f"{PUT_BACK} {CHOOSE_AGAIN}"
    task.refresh_from_db()
    assert task.status != "rejected"


def test_a_staff_reply_in_the_inbox_comes_back_after_the_session_expired(page, acme, client_user, bok_staff):
    thread = start_thread(
        user=client_user, client=acme, subject="Polisa", category="other", body="Treść", contract=None
    )
    log_in(page, bok_staff)
    page.goto(f"/staff/messages/{thread.pk}/")
    page.fill("#id_body", "Odpowiedź dla klienta.")
    page.fill("#id_note", "Notatka wewnętrzna.")

    Session.objects.all().delete()
    page.get_by_test_id("send-reply").click()
    log_in_on_this_page(page, bok_staff)

    page.wait_for_url(f"**/staff/messages/{thread.pk}/")
    assert EXPIRED in page.locator(".messages").inner_text()
    assert page.locator("#id_body").input_value() == "Odpowiedź dla klienta."
    assert page.locator("#id_note").input_value() == "Notatka wewnętrzna."


def test_a_comment_sent_after_the_session_expired_is_offered_back_in_its_dialog(page, task, client_user):
    # given: a comment with a file, its draft saved on the server
    log_in(page, client_user)
    page.goto(f"/requests/{task.pk}/")
    page.get_by_test_id("open-comment").click()
    page.set_input_files("#comment-files", PDF)
    page.fill("#comment-message", "Dosyłam skan.")
    dialog = page.locator("#comment-dialog")
    dialog.get_by_test_id("draft-status").filter(has_text=SAVED).wait_for()

    # when: the session ends, the comment is sent, the user logs in again
    Session.objects.all().delete()
    dialog.get_by_role("button", name="Wyślij komentarz").click()
    log_in_on_this_page(page, client_user)

    # then: the dialog is open with an offer that says the form was not sent (not "the server did not save")
    page.wait_for_url(f"**/requests/{task.pk}/")
    offer = dialog.get_by_test_id("draft-offer")
    offer.wait_for()
    assert offer.locator("p").inner_text() == (
        "Formularz nie został wysłany; wpisany w nim tekst jest zachowany w tej przeglądarce. " + CHOOSE_AGAIN
    )
    offer.get_by_role("button", name="Przywróć tekst").click()
    assert page.locator("#comment-message").input_value() == "Dosyłam skan."


def test_the_language_switch_keeps_typed_text(page, task, bok_staff, client_user):
    # a staff task page: both forms' text comes back in the other language
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{task.pk}/")
    page.fill("#approve-answer", "Zgoda.")
    page.fill("#reject-reason", "Powód.")
    with page.expect_navigation():
        page.get_by_role("button", name="EN – English").click()
    page.get_by_role("heading", name="Decision").wait_for()
    assert page.locator("#approve-answer").input_value() == "Zgoda."
    assert page.locator("#reject-reason").input_value() == "Powód."

    # a client form switched at once after the last keystroke: its draft was saved on the way out
    page.context.clear_cookies()
    log_in(page, client_user)
    page.goto("/messages/new/")
    page.locator("#id_body").press_sequentially("Pilne")
    with page.expect_navigation():
        page.get_by_role("button", name="EN – English").click()
    offer = page.get_by_test_id("draft-offer")
    offer.wait_for()
    offer.get_by_role("button", name=re.compile("Resume the draft")).click()
    assert page.locator("#id_body").input_value() == "Pilne"


def test_leaving_a_task_page_with_typed_text_asks_first(page, task, bok_staff):
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{task.pk}/")
    page.locator("#reject-reason").click()
    page.keyboard.type("Powód.")
    asked = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay

    page.on("dialog", answer)
    page.locator("#back-to-tasks").click()
    page.wait_for_timeout(500)

    assert asked == ["beforeunload"]
    assert page.locator("#reject-reason").input_value() == "Powód."


def test_an_invitation_sent_after_the_session_expired_comes_back(page, acme):
    admin = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    log_in(page, admin)
    page.goto("/client/users/")
    form = page.get_by_test_id("invite-form")
    form.get_by_label("E-mail").fill("flota@acme.pl")
    form.get_by_label("Imię").fill("Fryderyk")
    form.get_by_label("Nazwisko").fill("Flota")
    form.get_by_test_id("member-all-contracts").check()

    Session.objects.all().delete()
    form.get_by_role("button", name="Wyślij zaproszenie").click()
    log_in_on_this_page(page, admin)

    page.wait_for_url("**/client/users/")
    assert EXPIRED in page.locator(".messages").inner_text()
    assert form.get_by_label("E-mail").input_value() == "flota@acme.pl"
    assert form.get_by_label("Nazwisko").input_value() == "Flota"
    assert form.get_by_test_id("member-all-contracts").is_checked()
    assert acme.memberships.count() == 1
