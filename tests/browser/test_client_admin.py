"""Użytkownicy in the browser: a client administrator invites an accountant, suspends and removes them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client as DjangoClient

from backend.clients.models import ClientMembership
from tests.factories import ContractFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_session(page, live_server, user) -> None:
    """Log in by session cookie: this journey is about the users page, not the login form."""
    django_client = DjangoClient()
    django_client.force_login(user)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_admin_invites_suspends_and_removes_an_accountant(page, live_server, acme):
    # given: the company's administrator and two contracts
    admin = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    first = ContractFactory(client=acme, number="UL/2026/000111")
    ContractFactory(client=acme, number="UL/2026/000222")
    open_session(page, live_server, admin)

    # when: the invitation leaves out the contracts of a limited role
    page.goto("/contracts/")
    page.get_by_role("link", name="Użytkownicy").click()
    form = page.get_by_test_id("invite-form")
    form.get_by_label("E-mail").fill("ksiegowa@acme.pl")
    form.get_by_label("Imię").fill("Ewa")
    form.get_by_label("Nazwisko").fill("Księgowa")
    form.get_by_test_id("member-role").select_option("accountant")
    form.get_by_role("button", name="Wyślij zaproszenie").click()

    # then: the error is next to the contracts, the typed values stay
    page.get_by_text("Wybierz umowy, które ten użytkownik może widzieć.").first.wait_for()
    assert page.get_by_test_id("invite-form").get_by_label("E-mail").input_value() == "ksiegowa@acme.pl"

    # when: one contract is ticked
    form = page.get_by_test_id("invite-form")
    form.get_by_test_id(f"member-contract-{first.pk}").check()
    form.get_by_role("button", name="Wyślij zaproszenie").click()

    # then: the one-time activation code is shown once, to hand over by another channel than the e-mail
    page.get_by_role("heading", name="Jednorazowy kod aktywacyjny").wait_for()
    code = page.get_by_test_id("activation-code").inner_text()
    assert len(code) == 8
    page.get_by_role("link", name="Wróć do użytkowników").click()

    # then: listed with the role and the contract, e-mail sent with the activation link only
    row = page.locator('[data-testid=member-row][data-email="ksiegowa@acme.pl"]')
    row.wait_for()
    assert code not in page.content()
    assert "Księgowy" in row.inner_text()
    assert "UL/2026/000111" in row.inner_text()
    assert "UL/2026/000222" not in row.inner_text()
    assert [m.to for m in mail.outbox] == [["ksiegowa@acme.pl"]]
    assert "Aktywuj konto" in mail.outbox[0].body and code not in mail.outbox[0].body

    # when: suspended
    row.get_by_test_id("member-suspend").click()

    # then
    page.get_by_text("Użytkownik został zawieszony.").wait_for()
    row = page.locator('[data-testid=member-row][data-email="ksiegowa@acme.pl"]')
    assert row.get_by_test_id("member-status").inner_text().startswith("Zawieszony")
    assert ClientMembership.objects.get(user__email="ksiegowa@acme.pl").status == "suspended"

    # when: "Remove" is clicked and the question is answered "no", nothing happens
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    row.get_by_test_id("member-remove").click()
    page.wait_for_timeout(300)
    assert questions == ["Usunąć użytkownika Ewa Księgowa z firmy? Straci dostęp od razu."]
    assert ClientMembership.objects.filter(user__email="ksiegowa@acme.pl").exists()

    # when: removed, confirmed
    page.once("dialog", lambda dialog: answer(dialog, True))
    row.get_by_test_id("member-remove").click()

    # then: gone from the list, the history keeps every step
    page.get_by_text("Użytkownik został usunięty z firmy.").wait_for()
    assert page.locator('[data-testid=member-row][data-email="ksiegowa@acme.pl"]').count() == 0
    history = page.get_by_test_id("member-history").inner_text()
    for step in ("zaproszenie", "zawieszenie", "usunięcie"):
        assert step in history
    assert "ZMIANA" in history.upper() and "ZMIEŃ" not in history.upper()  # the column's noun, not "change!"
    # the administrator's own row offers no suspending or removing of themselves
    own = page.locator('[data-testid=member-row][data-email="admin@acme.pl"]')
    assert own.get_by_test_id("member-self").inner_text() == "(Ty)"
    assert own.get_by_test_id("member-suspend").count() == 0
    assert own.get_by_test_id("member-remove").count() == 0
    assert not ClientMembership.objects.filter(user__email="ksiegowa@acme.pl").exists()


def test_the_last_administrator_cannot_remove_the_admin_flag_from_themselves(page, live_server, acme):
    # given
    admin = UserFactory(email="admin@acme.pl")
    membership = MembershipFactory(user=admin, client=acme, is_admin=True)
    open_session(page, live_server, admin)

    # when
    page.goto(f"/client/users/{membership.pk}/")
    page.get_by_test_id("member-admin").uncheck()
    page.get_by_role("button", name="Zapisz").click()

    # then
    page.get_by_text("Firma musi mieć co najmniej jednego aktywnego administratora.").first.wait_for()
    membership.refresh_from_db()
    assert membership.is_admin is True
