"""An outside accessibility tester's findings (WCAG 2.1 AA) as a user of a screen reader, a keyboard or a
phone meets them: the public permit check's results, scrolled tables, live announcements, error focus,
reduced motion and target sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.a11y import axe_violations
from tests.factories import ContractFactory, InvoiceFactory
from tests.permits.conftest import vehicle_contract  # noqa: F401 (fixture)
from tests.permits.test_permit_api import permit  # noqa: F401 (fixture)
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
NARROWEST = {"width": 320, "height": 700}


def _rule(page, rule: str) -> list[dict]:
    return [v for v in axe_violations(page, ("critical", "serious", "moderate", "minor")) if v["id"] == rule]


# --- 1. the public permit check ------------------------------------------------------------------


def _verify(page, code: str) -> dict:
    page.goto(f"/verify/permit/{code}/?lang=pl")
    return page.evaluate(
        """() => {
            const box = document.querySelector('.permit-result');
            const style = getComputedStyle(box);
            return {title: document.title, text: box.innerText, background: style.backgroundColor,
                    icon: box.querySelector('[aria-hidden=true]').innerText};
        }"""
    )


def test_each_permit_result_looks_and_reads_different(page, permit):  # noqa: F811
    from backend.permits.models import VehiclePermit

    valid = _verify(page, permit.code)
    VehiclePermit.objects.filter(pk=permit.pk).update(date_from=timezone.localdate() + timedelta(days=3))
    later = _verify(page, permit.code)
    VehiclePermit.objects.filter(pk=permit.pk).update(
        status=VehiclePermit.Status.REVOKED, revoked_at=timezone.now()
    )
    revoked = _verify(page, permit.code)
    unknown = _verify(page, "ZZZZ-ZZZZ-ZZZZ")

    assert valid["title"].startswith("Zgoda ważna – Weryfikacja zgody"), valid
    assert later["title"].startswith("Zgoda jeszcze nieważna – Weryfikacja zgody"), later
    assert revoked["title"].startswith("Zgoda cofnięta – Weryfikacja zgody"), revoked
    assert unknown["title"].startswith("Zgoda nie znaleziona – Weryfikacja zgody"), unknown
    # green, amber and red: three different colours, and an icon besides the words
    assert len({valid["background"], later["background"], revoked["background"]}) == 3
    assert revoked["background"] == unknown["background"]
    assert valid["background"] != "rgba(0, 0, 0, 0)"
    assert (valid["icon"], later["icon"], revoked["icon"], unknown["icon"]) == ("✓", "!", "✗", "✗")


def test_the_permit_pages_language_switch_is_two_targets_of_their_own(page):
    page.set_viewport_size(PHONE)
    page.goto("/verify/permit/?lang=pl")
    polish, english = page.locator("#permit-lang-pl"), page.locator("#permit-lang-en")
    pl_box, en_box = polish.bounding_box(), english.bounding_box()

    assert polish.get_attribute("aria-current") == "true" and english.get_attribute("aria-current") is None
    assert pl_box["height"] >= 44 and pl_box["width"] >= 44 and en_box["height"] >= 44, (pl_box, en_box)
    # the two do not touch: the chosen one is filled, the other is not
    assert en_box["x"] >= pl_box["x"] + pl_box["width"]
    colours = [el.evaluate("e => getComputedStyle(e).backgroundColor") for el in (polish, english)]
    assert colours[0] != colours[1]
    assert _rule(page, "target-size") == []


# --- 2. the contract card's table and scrolled tables ----------------------------------------------


def test_the_contract_cards_overdue_table_fits_the_card_at_1280(page, login, bok_staff, client_user, acme):
    today = timezone.localdate()
    InvoiceFactory(client=acme, issue_date=today - timedelta(days=40), due_date=today - timedelta(days=26))
    portal_request = submit_request(client_user, acme)
    login(page, bok_staff)
    page.goto(f"/staff/tasks/{portal_request.pk}/")

    wrap = page.locator("#overdue-invoices").locator("xpath=..")
    outstanding = page.locator('#overdue-invoices td[data-label="Do zapłaty"]')
    cell, box = outstanding.bounding_box(), wrap.bounding_box()
    assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, (cell, box)
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert _rule(page, "scrollable-region-focusable") == []


def test_a_scrolled_table_takes_the_keyboard_as_a_region_named_by_its_caption(
    page, login, bok_staff, client_user, acme
):
    submit_request(client_user, acme)
    page.set_viewport_size(NARROWEST)
    login(page, bok_staff)
    page.goto("/staff/tasks/?scope=open")
    assert _rule(page, "scrollable-region-focusable") == []

    # a box too narrow for its table scrolls: it becomes a focusable region named by the caption
    wrap = page.locator("#task-results .table-wrap")
    wrap.evaluate("el => { el.style.width = '120px'; window.dispatchEvent(new Event('resize')); }")
    page.wait_for_function("() => document.querySelector('#task-results .table-wrap[tabindex]') !== null")
    assert wrap.get_attribute("role") == "region" and wrap.get_attribute("tabindex") == "0"
    assert page.get_by_role("region", name="Otwarte wnioski").count() == 1
    assert _rule(page, "scrollable-region-focusable") == []
    # and once it fits again it is no tab stop
    wrap.evaluate("el => { el.style.width = ''; window.dispatchEvent(new Event('resize')); }")
    page.wait_for_function("() => document.querySelector('#task-results .table-wrap[tabindex]') === null")


def test_a_card_named_like_its_table_is_not_a_second_landmark(page, login, bok_staff, client_user, acme):
    submit_request(client_user, acme)
    login(page, bok_staff)
    page.set_viewport_size(NARROWEST)
    page.goto("/staff/")
    wrap = page.get_by_test_id("kind-stage").locator("xpath=..")
    wrap.evaluate("el => { el.style.width = '120px'; window.dispatchEvent(new Event('resize')); }")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=kind-stage]').parentElement.tabIndex === 0"
    )
    assert page.get_by_role("region", name="Otwarte wnioski według rodzaju i etapu").count() == 1
    assert _rule(page, "landmark-unique") == []


# --- 4. the schedule-change preview announces one sentence ------------------------------------------


def test_the_schedule_preview_announces_a_short_summary_not_the_table(page, login, client_user, acme):
    from decimal import Decimal

    ContractFactory(client=acme, net_value=Decimal("412345.67"), months=60)
    login(page, client_user)
    page.goto("/requests/new/schedule_change/")
    page.locator("#quote-preview dl.quote-summary").wait_for()

    page.fill("#f-data__months", "40")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#quote-preview dd')].some(dd => dd.textContent === '40')"
    )

    live = page.evaluate("() => [...document.querySelectorAll('[aria-live]')].map(e => e.id)")
    assert "quote-preview" not in live and "quote-announce" in live
    count = page.locator("#quote-preview dd").nth(1).inner_text()
    said = page.locator("#quote-announce").text_content()
    assert said.startswith("Nowa rata ") and said.endswith(f"zł, liczba rat: {count}"), said
    assert len(said) < 60


# --- 5. the accountant's ZIP: ready announced, a wrong month focused and announced -------------------


def test_the_ready_zip_is_announced_politely(page, login, client_user, acme):
    from backend.invoices.accounting_exports import build_accounting_export
    from backend.invoices.models import AccountingExport

    month = timezone.localdate().replace(day=1)
    invoice = InvoiceFactory(client=acme, number="FV/A/1", issue_date=month)
    export = AccountingExport.objects.create(
        user=client_user,
        client=acme,
        month=month,
        lang="pl",
        status="pending",
        invoice_ids=[invoice.pk],
        total=1,
    )
    login(page, client_user)
    page.goto("/invoices/")
    announcer = page.locator("[data-accounting-announce]")
    assert announcer.get_attribute("aria-live") == "polite" and announcer.text_content() == ""

    assert build_accounting_export(export.pk) == "ready"  # the worker, meanwhile

    page.get_by_test_id("accounting-export-link").wait_for(state="visible", timeout=10_000)
    assert announcer.text_content() == f"Plik ZIP za {month:%m.%Y} jest gotowy."


def test_a_wrong_month_puts_the_keyboard_on_the_field_and_says_why(page, login, client_user):
    login(page, client_user)
    page.goto("/invoices/")
    # past the browser's own check (max = this month): the server's refusal is what this test is about
    page.locator("#accounting-month").evaluate("el => { el.form.noValidate = true; el.value = '2030-01'; }")
    page.get_by_test_id("accounting-zip-download").click()
    page.wait_for_url("**/invoices/#accounting-zip")
    page.wait_for_function("() => document.activeElement.id === 'accounting-month'")

    field = page.locator("#accounting-month")
    assert field.get_attribute("aria-invalid") == "true"
    assert "accounting-month-error" in field.get_attribute("aria-describedby")
    assert page.locator("#accounting-zip [role=alert] #accounting-month-error").count() == 1


# --- 6. a new notice is announced; unread is more than bold -----------------------------------------


def test_a_new_notice_is_announced_and_marked_unread_in_words(page, login, client_user, acme, bok_staff):
    from notifications.models import Notice

    login(page, client_user)
    page.goto("/")
    announcer = page.locator("[data-bell-announce]")
    page.wait_for_function("() => document.querySelector('.notice-bell-count').dataset.count !== undefined")
    page.wait_for_timeout(500)  # the first count is read: it says nothing
    assert announcer.text_content() == ""

    Notice.objects.create(recipient=client_user, kind="invoice.issued", client=acme, payload={})
    page.locator(".notice-bell-button").click()  # opening the panel reads the count again

    page.wait_for_function("() => document.querySelector('[data-bell-announce]').textContent !== ''")
    title = page.locator(".notice-bell-list li a").first.inner_text()
    assert announcer.text_content() == f"Nowe powiadomienie: {title}"
    assert announcer.get_attribute("aria-live") == "polite"
    unread = page.locator(".notice-bell-list li.unread").first
    unread.locator(".badge-unread").wait_for()
    assert "nieprzeczytane" in unread.inner_text()


# --- 10. reduced motion and phone targets -----------------------------------------------------------


def test_reduced_motion_stops_the_busy_spinner_and_phone_targets_are_24px(page, login, client_user, acme):
    from notifications.models import Notice

    Notice.objects.create(recipient=client_user, kind="invoice.issued", client=acme, payload={})
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size(PHONE)
    login(page, client_user)
    page.goto("/requests/new/")
    animation = page.evaluate(
        """() => { const b = document.createElement('button'); b.className = 'button is-busy';
                   document.querySelector('main').appendChild(b);
                   return getComputedStyle(b, '::before').animationName; }"""
    )
    assert animation == "none"

    page.locator(".nav-toggle").click()  # on a phone the header's links open with the menu
    for name in ("Moje konto", "Zmień hasło"):
        box = page.get_by_role("link", name=name, exact=True).bounding_box()
        assert box["height"] >= 24, (name, box)
    page.locator(".notice-bell-button").click()
    read_all = page.locator(".notice-bell-read-all")
    read_all.wait_for(state="visible")
    assert read_all.bounding_box()["height"] >= 24
