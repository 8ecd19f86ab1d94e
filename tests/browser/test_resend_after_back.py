"""Back after a successful send, then send again: pages are no-store, so Back fetches the form with a fresh
one-time key while Chromium refills the fields and the file input. The second send must make no second
request or message (form_keys.js sends the key the first send had) and the file field must name the file
the browser refilled (file_choice.js on pageshow). A changed form is a new send."""

from __future__ import annotations

import pytest

from backend.messaging.models import MessageAttachment, MessageThread
from backend.requests_app.models import PortalRequest, RequestAttachment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def invoice_pdf(tmp_path):
    path = tmp_path / "faktura.pdf"
    path.write_bytes(PDF)
    return str(path)


def _back_to_the_refilled_form(page, field: str) -> None:
    page.go_back()
    page.wait_for_load_state("load")
    # Chromium refills the fields after the page is parsed
    page.wait_for_function(f"document.querySelector('{field}').value !== ''")


def test_other_request_sent_again_after_back_makes_no_second_request(
    page, login, client_user, acme_contract, invoice_pdf
):
    login(page, client_user)
    page.goto("/requests/new/other_request/")
    page.fill("#f-data__subject", "Prośba o kopię polisy")
    page.fill("#f-data__message", "Proszę o przesłanie kopii polisy.")
    page.fill("#f-contact__phone", "601 234 567")
    for checkbox in page.locator("input[name^='declarations__']").all():
        checkbox.check()
    page.set_input_files("#request-files", invoice_pdf)
    page.click("#submit-request")
    page.wait_for_url("**/requests/*/")
    first = PortalRequest.objects.get()

    _back_to_the_refilled_form(page, "#f-data__subject")
    # the file field names the file the browser put back, which the form would send
    names = (
        page.locator(".file-choice").filter(has=page.locator("#request-files")).locator(".file-choice-names")
    )
    assert names.inner_text() == "faktura.pdf"
    assert page.locator("#request-files").evaluate("input => input.files.length") == 1

    page.click("#submit-request")
    page.wait_for_url(f"**/requests/{first.pk}/")
    assert PortalRequest.objects.count() == 1
    assert RequestAttachment.objects.count() == 1
    assert f"już wysłany jako wniosek {first.number}" in page.locator(".messages").inner_text()

    # a changed form after Back is a new request
    _back_to_the_refilled_form(page, "#f-data__subject")
    page.fill("#f-data__subject", "Prośba o kopię aneksu")
    page.click("#submit-request")
    page.wait_for_url("**/requests/*/")
    assert PortalRequest.objects.count() == 2


def test_new_message_sent_again_after_back_makes_no_second_thread(
    page, login, client_user, acme_contract, invoice_pdf
):
    login(page, client_user)
    page.goto("/messages/new/")
    page.fill("#id_subject", "Kopia faktury")
    page.select_option("#id_category", index=1)
    page.select_option("#id_contract_id", str(acme_contract.pk))
    page.fill("#id_body", "Proszę o kopię faktury za październik.")
    page.set_input_files("#id_attachments", invoice_pdf)
    page.click("form[data-testid=new-message-form] button[type=submit]")
    page.wait_for_url("**/messages/*/")
    thread = MessageThread.objects.get()

    _back_to_the_refilled_form(page, "#id_subject")
    page.click("form[data-testid=new-message-form] button[type=submit]")
    page.wait_for_url(f"**/messages/{thread.pk}/")
    assert MessageThread.objects.count() == 1
    assert MessageAttachment.objects.count() == 1
    assert "Ta wiadomość została już wysłana" in page.locator(".messages").inner_text()
