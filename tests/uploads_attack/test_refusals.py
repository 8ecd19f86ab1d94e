"""Every file of the attack corpus is refused on every upload endpoint and on both upload pages, with a
message naming the file, and nothing is stored: no row, no file under MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.messaging.models import MessageAttachment, MessageThread
from backend.requests_app.models import PortalRequest, RequestAttachment
from tests.factories import ContractFactory
from tests.portal_ui.test_request_pages import payment_day_form
from tests.requests_app.helpers import upload
from tests.uploads_attack.conftest import ATTACKS
from tests.uploads_attack.corpus import PDF

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def named_refusal(attack) -> str:
    return f"Plik „{attack.name}” został odrzucony:"


@pytest.mark.parametrize("attack_id", ATTACKS)
def test_request_attachment_upload_refuses_the_attack(
    attack_id, attack_corpus, api_as, client_user, settings
):
    # given
    attack = attack_corpus[attack_id]

    # when
    response = upload(api_as(client_user), attack.content, attack.name)

    # then
    assert response.status_code == 400, response.content
    body = response.json()
    [message] = body["fields"]["file"]
    assert body["code"] == "invalid" and body["message"] == message
    assert message.startswith(named_refusal(attack)) and attack.refusal in message
    assert not RequestAttachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("attack_id", ATTACKS)
def test_message_attachment_upload_endpoint_refuses_the_attack(
    attack_id, attack_corpus, api_as, client_user, settings
):
    # given
    attack = attack_corpus[attack_id]

    # when: the upload-first endpoint of messages, the same check as the request one
    response = api_as(client_user).post(
        "/api/messages/attachments/",
        {"file": SimpleUploadedFile(attack.name, attack.content)},
        format="multipart",
    )

    # then
    assert response.status_code == 400, response.content
    body = response.json()
    [message] = body["fields"]["file"]
    assert body["code"] == "invalid" and body["message"] == message
    assert message.startswith(named_refusal(attack)) and attack.refusal in message
    assert not MessageAttachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("attack_id", ATTACKS)
def test_message_attachment_upload_refuses_the_attack(
    attack_id, attack_corpus, api_as, client_user, settings
):
    # given: the attack beside a good PDF
    attack = attack_corpus[attack_id]
    files = [SimpleUploadedFile("skan.pdf", PDF), SimpleUploadedFile(attack.name, attack.content)]

    # when
    response = api_as(client_user).post(
        "/api/messages/",
        {"subject": "Załącznik", "category": "other", "body": "W załączniku.", "attachments": files},
        format="multipart",
    )

    # then: nothing of the message is kept, not even the good file
    assert response.status_code == 400, response.content
    [message] = response.json()["fields"]["attachments"]
    assert message.startswith(named_refusal(attack)) and attack.refusal in message
    assert not MessageThread.objects.exists() and not MessageAttachment.objects.exists()
    assert stored_files(settings) == []


def test_refusal_is_in_english_for_an_english_user(attack_corpus, api_as, client_user):
    # given
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    attack = attack_corpus["docx_with_vba_project"]

    # when
    response = upload(api_as(client_user), attack.content, attack.name)

    # then
    assert response.json()["fields"]["file"] == [
        "The file “umowa.docx” was refused: Files with macros are not accepted."
    ]


def test_request_page_shows_the_refusal_as_a_form_error(attack_corpus, client, client_user, acme, settings):
    # given
    contract = ContractFactory(client=acme, payment_day=15)
    attack = attack_corpus["nested_zip_bomb_3_2_gb"]
    client.force_login(client_user)

    # when
    response = client.post(
        "/requests/new/payment_date_change/",
        {**payment_day_form(contract), "files": SimpleUploadedFile(attack.name, attack.content)},
    )

    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="err-request-attachment_ids"' in html
    assert named_refusal(attack) in html and attack.refusal in html
    assert not PortalRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert stored_files(settings) == []


def test_message_page_shows_the_refusal_as_a_form_error(attack_corpus, client, client_user, settings):
    # given
    attack = attack_corpus["doc_with_macros_storage"]
    client.force_login(client_user)

    # when
    response = client.post(
        "/messages/new/",
        {
            "subject": "Załącznik",
            "category": "other",
            "body": "W załączniku.",
            "attachments": SimpleUploadedFile(attack.name, attack.content),
        },
    )

    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_attachments-error"' in html
    assert named_refusal(attack) in html and attack.refusal in html
    assert not MessageThread.objects.exists()
    assert stored_files(settings) == []
