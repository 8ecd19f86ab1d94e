"""A form that came back with an error keeps its stored files ticked while the file picker is empty: a file
chosen again (or twice in one go) goes once, and the page says the kept files will be sent
(request_attachments.posted_attachments, the one path of every page form's files)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageAttachment, MessageThread
from backend.requests_app.models import PortalRequest, RequestAttachment
from tests.messaging.test_attachment_ids import pdf_bytes
from tests.portal_ui.test_request_pages import acme_request, contract, payment_day_form  # noqa: F401
from tests.requests_app.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db

KEPT = re.compile(r'name="attachment_ids" value="(\d+)" checked')


def pdf(name: str = "att.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def message_form(contract_id, **extra) -> dict:
    return {
        "subject": "Question about December invoice",
        "category": "other",
        "contract_id": contract_id,
        "body": "Hello, please see the attached file.",
        **extra,
    }


@pytest.fixture
def as_client(client, client_user):
    client.force_login(client_user)
    return client


def test_a_new_message_sent_with_its_kept_file_chosen_again_carries_it_once(
    as_client, client_user, acme, acme_contract
):
    # given: the form came back (no contract) with att.pdf kept, in English
    client_user.language = "en"  # a logged-in user's saved language wins over the cookie
    client_user.save(update_fields=["language"])
    first = as_client.post(reverse("message-new"), message_form("", attachments=pdf()))
    page = first.content.decode()
    kept = KEPT.findall(page)
    assert first.status_code == 400 and len(kept) == 1
    # and the page says the kept file goes with the form, so it need not be chosen again
    assert "These files are already attached and will be sent with the form" in page

    # when: the contract is chosen, the kept file left ticked and the same file chosen again
    response = as_client.post(
        reverse("message-new"),
        message_form(acme_contract.pk, attachment_ids=kept, attachments=pdf("att.pdf")),
    )

    # then: one copy, the kept upload; the picked one is not even stored
    assert response.status_code == 302
    message = MessageThread.objects.get(client=acme).messages.get()
    assert [a.pk for a in message.attachments.all()] == [int(kept[0])]
    assert MessageAttachment.objects.count() == 1


def test_the_same_file_chosen_twice_in_one_go_is_stored_once(as_client, acme, acme_contract):
    response = as_client.post(
        reverse("message-new"), message_form(acme_contract.pk, attachments=[pdf("a.pdf"), pdf("b.pdf")])
    )
    assert response.status_code == 302
    message = MessageThread.objects.get(client=acme).messages.get()
    assert [a.original_name for a in message.attachments.all()] == ["a.pdf"]


def test_a_message_comment_with_its_kept_file_chosen_again_carries_it_once(as_client, client_user, acme):
    thread = start_thread(
        user=client_user, client=acme, subject="Pytanie", category="invoices", body="Treść.", contract=None
    )
    url = reverse("message-comment-page", args=[thread.pk])
    first = as_client.post(url, {"body": "", "attachments": pdf()})
    kept = KEPT.findall(first.content.decode())
    assert first.status_code == 400 and len(kept) == 1
    assert "Te pliki są już dołączone i zostaną wysłane z formularzem" in first.content.decode()

    response = as_client.post(url, {"body": "W załączniku.", "attachment_ids": kept, "attachments": pdf()})

    assert response.status_code == 302
    assert [a.pk for a in thread.messages.last().attachments.all()] == [int(kept[0])]


def test_the_request_form_shows_a_file_chosen_again_once_and_stores_it_once(as_client, contract):  # noqa: F811
    # given: the request form came back (no phone) with the file kept
    form = payment_day_form(contract, contact__phone="")
    first = as_client.post("/requests/new/payment_date_change/", {**form, "files": pdf()})
    kept = KEPT.findall(first.content.decode())
    assert first.status_code == 400 and len(kept) == 1

    # when: sent again, still without a phone, with the same file chosen again
    again = as_client.post(
        "/requests/new/payment_date_change/", {**form, "attachment_ids": kept, "files": pdf()}
    )

    # then: the page keeps one file, the earlier upload, and nothing new was stored
    page = again.content.decode()
    assert again.status_code == 400 and KEPT.findall(page) == kept
    assert "Te pliki są już dołączone i zostaną wysłane z formularzem" in page
    assert RequestAttachment.objects.count() == 1
    # and the corrected form sends it once
    done = as_client.post(
        "/requests/new/payment_date_change/", {**payment_day_form(contract), "attachment_ids": kept}
    )
    assert done.status_code == 302
    assert [a.pk for a in PortalRequest.objects.get().attachments.all()] == [int(kept[0])]


def test_a_request_comment_with_its_kept_file_chosen_again_stores_it_once(client, acme_request):  # noqa: F811
    url = f"/requests/{acme_request.pk}/comment/"
    first = client.post(url, {"message": " ", "files": pdf()})
    kept = KEPT.findall(first.content.decode())
    assert first.status_code == 400 and len(kept) == 1

    response = client.post(url, {"message": "Skan w załączniku.", "attachment_ids": kept, "files": pdf()})

    assert response.status_code == 302
    assert list(RequestAttachment.objects.values_list("pk", flat=True)) == [int(kept[0])]


def distinct_pdf(name: str) -> SimpleUploadedFile:
    """A PDF whose content is its own (named after the file)."""
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def test_five_kept_files_and_one_of_them_chosen_again_are_sent_as_five(as_client, acme, acme_contract):
    # given: the form came back (no contract) with five different files kept
    files = [distinct_pdf(f"skan-{n}.pdf") for n in range(1, 6)]
    first = as_client.post(reverse("message-new"), message_form("", attachments=files))
    kept = KEPT.findall(first.content.decode())
    assert first.status_code == 400 and len(kept) == 5

    # when: the contract is chosen and one of the five chosen again (six posted, five contents)
    response = as_client.post(
        reverse("message-new"),
        message_form(acme_contract.pk, attachment_ids=kept, attachments=distinct_pdf("skan-3.pdf")),
    )

    # then: sent, with the five kept files (the limit counts each content once, as the API does)
    assert response.status_code == 302, response.content.decode()[:500]
    message = MessageThread.objects.get(client=acme).messages.get()
    assert sorted(a.pk for a in message.attachments.all()) == sorted(int(pk) for pk in kept)


def test_six_different_files_are_refused_and_stay_kept_to_untick(as_client, client_user, acme, acme_contract):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    files = [distinct_pdf(f"skan-{n}.pdf") for n in range(1, 7)]

    response = as_client.post(reverse("message-new"), message_form(acme_contract.pk, attachments=files))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Attach at most 5 files." in page
    assert len(KEPT.findall(page)) == 6  # the user unticks one instead of choosing five again
    assert not MessageThread.objects.filter(client=acme).exists()
