"""Two tabs of one browser, a user of two companies: the client data change typed for ACME in tab 1, the
company switched to Inna Firma in tab 2. Tab 1's autosave is refused and says so (drafts.js, 409
client_changed); sending tab 1 files nothing for either company and shows the form again with the text and
the way back to ACME, whose form then offers the draft (portal_ui/acting_for.py)."""

from __future__ import annotations

import pytest

from backend.drafts.models import Draft
from backend.requests_app.models import PortalRequest
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGED = "zmieniona (w innej karcie) z ACME Logistyka sp. z o.o. na Inna Firma S.A."


def test_a_form_of_one_company_sent_after_another_tab_switched_files_nothing(
    page, client_user, acme, other_company
):
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    log_in(page, client_user)
    page.goto("/requests/new/client_data_change/")
    page.fill("#f-data__registered_street", "ul. Magazynowa 7")
    page.get_by_test_id("draft-status").filter(has_text="Szkic zapisany").wait_for()

    # tab 2 switches to Inna Firma
    other_tab = page.context.new_page()
    other_tab.goto("/")
    other_tab.select_option("#client-switch", str(other_company.pk))
    with other_tab.expect_navigation():
        other_tab.click("form.switcher button[type=submit]")
    other_tab.close()

    # tab 1 types on: the save is refused and says why; the text stays in the form
    with page.expect_response(lambda r: "/api/drafts/" in r.url and r.request.method == "PUT") as saved:
        page.fill("#f-data__registered_city", "Gdańsk")
    assert saved.value.status == 409
    page.get_by_test_id("draft-status").filter(has_text=CHANGED).wait_for()
    assert page.input_value("#f-data__registered_city") == "Gdańsk"
    assert not Draft.objects.filter(client=other_company).exists()

    # sending tab 1 makes no request for either company: the form comes back with the text and the message
    page.fill("#f-contact__phone", "601 234 567")
    for checkbox in page.locator("input[name^='declarations__']").all():
        checkbox.check()
    page.click("#submit-request")
    notice = page.get_by_test_id("client-changed")
    notice.wait_for()
    assert CHANGED in notice.inner_text()
    assert page.input_value("#f-data__registered_street") == "ul. Magazynowa 7"
    assert not PortalRequest.objects.exists()

    # "Przełącz na ACME": the form of ACME offers what was typed
    with page.expect_navigation():
        notice.get_by_test_id("switch-back").click()
    page.get_by_test_id("draft-offer").wait_for()
    assert PortalRequest.objects.count() == 0
