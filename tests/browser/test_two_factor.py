"""Browser journeys of two-factor login and two-channel activation, under the strict CSP."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP

from backend.accounts.second_factor import REMEMBER_COOKIE
from tests.factories import PASSWORD
from tests.second_factor_helpers import code_for, enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def problems(page) -> list[str]:
    """CSP violations and uncaught script errors of the page.

    (live_server speaks no WebSocket, and the page's notice counter is refused until the code: not counted.)
    """
    found: list[str] = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and found.append(message.text)
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def submit(page, selector: str = "form button[type=submit].primary") -> None:
    with page.expect_navigation():
        page.click(selector)


def password_step(page, user) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    submit(page)


def test_staff_enrol_with_the_qr_code_and_keep_their_recovery_codes(page, problems, bok_staff):
    # when: the first login of a staff member without an app
    password_step(page, bok_staff)

    # then: enrolment, with a QR code drawn as an image and the key to type
    assert "/account/security/setup/" in page.url
    assert page.locator("#second-factor-qr").evaluate("img => img.naturalWidth") > 0
    key = page.locator("#second-factor-key").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))

    # when: the code the app would show
    totp = TOTP(secret)
    totp.time = time.time()
    page.fill("#id_password", PASSWORD)  # a first app asks for the account's password too
    page.fill("#id_code", f"{totp.token():06d}")
    submit(page)

    # then: ten recovery codes, downloadable, then the workspace
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.click("#recovery-codes-download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(code in text for code in codes)
    submit(page, "#recovery-codes-done")
    assert page.url.endswith("/staff/")
    assert problems == []


def test_the_code_step_and_remembering_the_device(page, problems, bok_staff):
    # given
    device = enrol(bok_staff)

    # when: password, then the code with "remember this device"
    password_step(page, bok_staff)
    assert page.locator("#second-factor-title").is_visible()
    page.fill("#id_code", code_for(device))
    page.check("#id_remember")
    submit(page)

    # then
    assert page.url.endswith("/staff/")
    remembered = [cookie for cookie in page.context.cookies() if cookie["name"] == REMEMBER_COOKIE]
    assert remembered and remembered[0]["httpOnly"] is True

    # when: the session ends (the browser keeps only the remembered device) and the user logs in again
    page.context.clear_cookies()
    page.context.add_cookies(remembered)
    password_step(page, bok_staff)

    # then: no code asked on this device
    assert page.url.endswith("/staff/")
    assert problems == []


def test_a_wrong_code_is_refused_next_to_the_field(page, problems, bok_staff):
    enrol(bok_staff)
    password_step(page, bok_staff)

    page.fill("#id_code", "000000")
    submit(page)

    assert page.locator("#err_code").is_visible()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    assert problems == []


def test_activation_needs_the_link_and_the_code(page, problems, client_user):
    from backend.accounts.activation import activation_url
    from backend.accounts.activation_code import issue_activation_code

    # given: the e-mailed link and the code handed over by the administrator
    code = issue_activation_code(client_user)
    page.goto(re.sub(r"^https?://[^/]+", "", activation_url(client_user)))

    # when: a wrong code first
    page.fill("#id_new_password1", "Zielony-Parasol-2026")
    page.fill("#id_new_password2", "Zielony-Parasol-2026")
    page.fill("#id_activation_code", "AAAAAAAA")
    submit(page)

    # then
    assert page.locator("#err_activation_code").is_visible()

    # when: the right code
    page.fill("#id_new_password1", "Zielony-Parasol-2026")
    page.fill("#id_new_password2", "Zielony-Parasol-2026")
    page.fill("#id_activation_code", code)
    submit(page)

    # then: logged in on the home page
    assert urlsplit(page.url).path == "/"
    assert page.locator("h1").inner_text() == "Ekran główny"
    assert problems == []


def test_customer_service_reset_a_lost_app_from_client_activation(page, problems, bok_staff, acme):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.browser.a11y import assert_accessible
    from tests.browser.conftest import log_in
    from tests.factories import MembershipFactory, UserFactory

    # given a client administrator who lost their phone, and customer service on the activation page
    admin = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    enrol(admin)
    log_in(page, bok_staff)
    page.goto("/staff/client-users/?q=admin%40acme.pl")
    row = page.get_by_test_id("client-user-row")
    assert row.get_by_test_id("second-factor").inner_text() == "aplikacja uwierzytelniająca"

    # when they open the reset and send it without checking who calls
    with page.expect_navigation():
        row.get_by_test_id("reset-second-factor-link").click()
    assert_accessible(page, "second-factor reset")
    page.fill("#id_reason", "Zgubiony telefon, oddzwoniłam na numer z umowy")
    submit(page, "[data-testid=reset-second-factor]")

    # then the missing confirmation is named next to its box, above the form, and the reason is kept
    assert page.locator("#id_identity_checked-error").inner_text() == "Potwierdź, że sprawdzono, kto prosi."
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_reason").input_value() == "Zgubiony telefon, oddzwoniłam na numer z umowy"
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    # when confirmed
    page.check("#id_identity_checked")
    submit(page, "[data-testid=reset-second-factor]")

    # then back on the list: done, said so, and nothing left to reset
    assert "zresetowany" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("second-factor").inner_text() == "brak"
    assert page.get_by_test_id("reset-second-factor-link").count() == 0
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert problems == []
