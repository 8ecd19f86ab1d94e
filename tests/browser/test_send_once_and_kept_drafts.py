"""Journeys in headless Chromium: a double click on a slow network sends a form once (the invitation's code
is shown, one message is written); a draft typed after the session expired says so, stays in the browser
and comes back after logging in (to that user only); user text keeps its direction to itself."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.models import Session

from backend.clients import members
from backend.drafts.models import Draft
from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageThread
from portal_ui import message_views
from tests.browser.conftest import log_in
from tests.browser.test_client_admin import open_session
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Szkic zapisany \d\d:\d\d")
EXPIRED = "Nie zapisano — sesja wygasła, zaloguj się ponownie (tekst jest zachowany w tej przeglądarce)"
KEPT_COPIES = "Object.keys(localStorage).filter(k => k.startsWith('portal-draft:')).length"


def slowed(monkeypatch, module, name: str) -> None:
    """The server answers the write seconds late, as over the slow network the second click came in."""
    write = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(4)
        return write(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def double_click(page, button) -> None:
    """Two clicks of the mouse 400 ms apart on the button, the first one's post still on its way (a page
    whose post is pending takes no scripted click: this is the user's mouse)."""
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(400)
    page.mouse.click(x, y)


def test_a_double_click_on_send_writes_one_message(page, live_server, client_user, monkeypatch):
    slowed(monkeypatch, message_views, "start_thread")
    open_session(page, live_server, client_user)
    page.goto("/messages/new/")
    page.fill("#id_subject", "Pytanie o polisę")
    page.select_option("#id_category", "insurance")
    page.fill("#id_body", "Proszę o kopię polisy.")

    double_click(page, page.get_by_role("button", name="Wyślij"))

    page.wait_for_url("**/messages/*/")
    page.get_by_text("Proszę o kopię polisy.").wait_for()
    assert MessageThread.objects.count() == 1


def test_a_double_click_on_invite_shows_the_one_time_code(page, live_server, acme, monkeypatch):
    slowed(monkeypatch, members, "invite_member")
    admin = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    open_session(page, live_server, admin)
    page.goto("/client/users/")
    form = page.get_by_test_id("invite-form")
    form.get_by_label("E-mail").fill("flota@acme.pl")
    form.get_by_label("Imię").fill("Fryderyk")
    form.get_by_label("Nazwisko").fill("Flota")
    form.get_by_test_id("member-all-contracts").check()

    double_click(page, form.get_by_role("button", name="Wyślij zaproszenie"))

    # the page of the first (and only) post: the code, not "this person is already a user"
    page.get_by_role("heading", name="Jednorazowy kod aktywacyjny").wait_for()
    assert len(page.get_by_test_id("activation-code").inner_text()) == 8


def test_a_draft_typed_after_the_session_expired_comes_back_after_logging_in(page, client_user, acme):
    # given a message being written, its draft saved
    log_in(page, client_user)
    page.goto("/messages/new/")
    page.fill("#id_subject", "Pytanie o polisę")
    status = page.get_by_test_id("draft-status")
    status.filter(has_text=SAVED).wait_for()

    # when the session expires and the user goes on typing
    Session.objects.all().delete()
    page.fill("#id_body", "Tekst napisany po wygaśnięciu sesji.")

    # then the page does not say "saved": it says why not, and that the text stays in this browser
    status.filter(has_text=EXPIRED).wait_for()
    assert page.evaluate(KEPT_COPIES) == 1

    # and another user of this browser is never offered it
    colleague = UserFactory(email="ewa@acme.pl")
    MembershipFactory(user=colleague, client=acme)
    page.context.clear_cookies()
    log_in(page, colleague)
    page.goto("/messages/new/")
    page.get_by_test_id("draft-status").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("draft-offer").count() == 0

    # when the user logs in again and opens the form
    page.context.clear_cookies()
    log_in(page, client_user)
    page.goto("/messages/new/")
    offer = page.get_by_test_id("draft-offer")
    offer.wait_for()
    offer.get_by_role("button", name="Przywróć tekst").click()

    # then everything typed is back, the text typed after the expiry too, and the server has it now
    assert page.locator("#id_subject").input_value() == "Pytanie o polisę"
    assert page.locator("#id_body").input_value() == "Tekst napisany po wygaśnięciu sesji."
    page.get_by_test_id("draft-status").filter(has_text=SAVED).wait_for()
    assert Draft.objects.get(user=client_user).data["body"] == "Tekst napisany po wygaśnięciu sesji."
    assert page.evaluate(KEPT_COPIES) == 0

    # and once it is sent, opening the form again offers nothing
    page.select_option("#id_category", "insurance")
    page.get_by_role("button", name="Wyślij").click()
    page.wait_for_url("**/messages/*/")
    page.goto("/messages/new/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("draft-offer").count() == 0
    assert page.evaluate(KEPT_COPIES) == 0


def test_user_text_keeps_its_direction_to_itself(page, live_server, client_user, acme):
    # a message stored before overrides were refused
    thread = start_thread(
        user=client_user,
        client=acme,
        subject="Konto",
        category="other",
        body="konto \u202e0987654321",
        contract=None,
    )
    open_session(page, live_server, client_user)
    page.goto(f"/messages/{thread.pk}/")
    body = page.locator(".message-body").first
    assert body.evaluate("element => getComputedStyle(element).unicodeBidi") == "plaintext"
