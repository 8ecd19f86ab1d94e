import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backend.core.models import OutboxEvent
from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageAttachment, MessageThread
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

THREADS = "/api/messages/"
INBOX = "/api/staff/messages/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="faktura.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def staff_api(api_as, bok_staff):
    return api_as(bok_staff)


@pytest.fixture
def thread(client_user, acme, acme_contract):
    return start_thread(
        user=client_user,
        client=acme,
        subject="Pytanie o fakturę",
        category="invoices",
        body="Proszę o korektę.",
        contract=acme_contract,
    )


def new_message(api, **overrides):
    data = {"subject": "Zmiana rachunku", "category": "other", "body": "Treść wiadomości", **overrides}
    return api.post(THREADS, {k: v for k, v in data.items() if v is not None}, format="multipart")


# --- new message: validation ------------------------------------------------------------------------


def test_new_message_with_attachment(api, acme_contract, client_user):
    # when
    response = new_message(
        api,
        contract_id=acme_contract.pk,
        attachments=[pdf_file(), SimpleUploadedFile("umowa.docx", docx_bytes())],
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open"
    assert body["contract_number"] == acme_contract.number
    [message] = body["messages"]
    assert message["body"] == "Treść wiadomości"
    assert message["is_from_staff"] is False
    assert [(a["original_name"], a["content_type"]) for a in message["attachments"]] == [
        ("faktura.pdf", "application/pdf"),
        ("umowa.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]
    thread = MessageThread.objects.get()
    assert thread.created_by == client_user


@pytest.mark.parametrize("missing", ["subject", "category", "body", "contract_id"])
def test_new_message_requires_every_field(api, acme_contract, missing):
    # given
    data = {"subject": "Temat", "category": "other", "body": "Treść", "contract_id": acme_contract.pk}
    data.pop(missing)

    # when
    response = api.post(THREADS, data, format="multipart")

    # then
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {missing}
    assert not MessageThread.objects.exists()


def test_new_message_reports_all_missing_fields_at_once(api, acme_contract):
    response = api.post(THREADS, {}, format="multipart")
    assert set(response.json()["fields"]) == {"subject", "category", "body", "contract_id"}


def test_contract_is_not_required_for_a_client_without_contracts(api):
    response = new_message(api)
    assert response.status_code == 201, response.content
    assert response.json()["contract_id"] is None


def test_another_clients_contract_is_a_field_error(api, acme_contract, other_contract):
    response = new_message(api, contract_id=other_contract.pk)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"contract_id"}


def test_bad_category_and_blank_subject(api, acme_contract):
    response = new_message(api, contract_id=acme_contract.pk, category="complaint", subject="   ")
    assert set(response.json()["fields"]) == {"category", "subject"}


def test_attachment_content_is_checked_not_its_name(api, acme_contract):
    # given: an executable renamed to .pdf
    fake = SimpleUploadedFile("faktura.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    # when
    response = new_message(api, contract_id=acme_contract.pk, attachments=[fake])

    # then
    assert response.status_code == 400
    assert "attachments" in response.json()["fields"]
    assert "faktura.pdf" in response.json()["fields"]["attachments"][0]
    assert not MessageThread.objects.exists()
    assert not MessageAttachment.objects.exists()


def test_truncated_pdf_is_rejected(api, acme_contract):
    response = new_message(
        api, contract_id=acme_contract.pk, attachments=[pdf_file(content=b"%PDF-1.4\nbroken")]
    )
    assert response.status_code == 400
    assert "attachments" in response.json()["fields"]


# --- list, detail, comments, attachments ------------------------------------------------------------


def test_list_is_the_clients_whole_correspondence(api, thread, other_client_user, other_company):
    start_thread(
        user=other_client_user,
        client=other_company,
        subject="Cudzy",
        category="other",
        body="x",
        contract=None,
    )
    rows = api.get(THREADS).json()["results"]
    assert [row["subject"] for row in rows] == ["Pytanie o fakturę"]
    assert rows[0]["message_count"] == 1


def test_comment_reopens_a_closed_thread(api, staff_api, thread):
    # given
    staff_api.post(f"{INBOX}{thread.pk}/final-answer/", {"body": "Korekta wystawiona."}, format="json")

    # when
    response = api.post(f"{THREADS}{thread.pk}/comments/", {"body": "Dziękuję, ale..."}, format="multipart")

    # then: the thread's header and the comment written (the thread before it: `earlier`)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert body["final_answer"] == "Korekta wystawiona."
    assert [m["body"] for m in body["messages"]] == ["Dziękuję, ale..."]
    assert (body["message_count"], body["earlier_count"]) == (3, 2)


def test_comment_requires_text(api, thread):
    response = api.post(f"{THREADS}{thread.pk}/comments/", {}, format="multipart")
    assert set(response.json()["fields"]) == {"body"}


def test_attachment_download_returns_the_same_bytes(api, thread):
    # given
    api.post(
        f"{THREADS}{thread.pk}/comments/",
        {"body": "Załącznik", "attachments": [pdf_file()]},
        format="multipart",
    )
    attachment = MessageAttachment.objects.get()

    # when
    response = api.get(f"{THREADS}attachments/{attachment.pk}/download/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="faktura.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_another_clients_thread_and_attachment_are_not_found(api_as, other_client_user, thread, api):
    # given
    api.post(
        f"{THREADS}{thread.pk}/comments/",
        {"body": "Załącznik", "attachments": [pdf_file()]},
        format="multipart",
    )
    attachment = MessageAttachment.objects.get()
    intruder = api_as(other_client_user)

    # when / then
    assert intruder.get(f"{THREADS}{thread.pk}/").status_code == 404
    assert (
        intruder.post(f"{THREADS}{thread.pk}/comments/", {"body": "x"}, format="multipart").status_code == 404
    )
    assert intruder.get(f"{THREADS}attachments/{attachment.pk}/download/").status_code == 404


# --- staff ------------------------------------------------------------------------------------------


def test_staff_reply_marks_answered_and_writes_event(staff_api, thread, django_capture_on_commit_callbacks):
    # when
    response = staff_api.post(f"{INBOX}{thread.pk}/reply/", {"body": "Sprawdzamy."}, format="multipart")

    # then
    assert response.status_code == 201
    assert response.json()["status"] == "answered"
    event = OutboxEvent.objects.get(kind=OutboxEvent.Kind.MESSAGE_ANSWERED)
    assert event.client_id == thread.client_id
    assert event.subject_id == thread.pk
    assert event.payload["final"] is False


def test_final_answer_closes_thread(staff_api, thread, bok_staff):
    # when
    response = staff_api.post(
        f"{INBOX}{thread.pk}/final-answer/", {"body": "Sprawa załatwiona."}, format="json"
    )

    # then
    assert response.status_code == 200
    thread.refresh_from_db()
    assert thread.status == "closed"
    assert thread.final_answer == "Sprawa załatwiona."
    assert thread.final_answer_by == bok_staff
    assert OutboxEvent.objects.get(kind=OutboxEvent.Kind.MESSAGE_ANSWERED).payload["final"] is True


def test_closed_thread_takes_no_staff_reply(staff_api, thread):
    staff_api.post(f"{INBOX}{thread.pk}/final-answer/", {"body": "Koniec."}, format="json")
    response = staff_api.post(f"{INBOX}{thread.pk}/reply/", {"body": "Jeszcze"}, format="multipart")
    assert response.status_code == 409
    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.MESSAGE_ANSWERED).count() == 1


def test_inbox_filters(staff_api, thread, other_client_user, other_company):
    # given
    other = start_thread(
        user=other_client_user,
        client=other_company,
        subject="Polisa",
        category="insurance",
        body="x",
        contract=None,
    )
    staff_api.post(f"{INBOX}{other.pk}/reply/", {"body": "Odpowiedź"}, format="multipart")

    def subjects(params):
        return {row["subject"] for row in staff_api.get(INBOX, params).json()["results"]}

    # then
    assert subjects({}) == {"Pytanie o fakturę", "Polisa"}
    assert subjects({"status": "answered"}) == {"Polisa"}
    assert subjects({"category": "invoices"}) == {"Pytanie o fakturę"}
    assert subjects({"client": other_company.pk}) == {"Polisa"}
    assert subjects({"client_name": "acme"}) == {"Pytanie o fakturę"}
    today = timezone.localdate(thread.last_message_at).isoformat()  # the filter's day is the local one
    assert subjects({"date_from": today, "date_to": today}) == {"Pytanie o fakturę", "Polisa"}
    assert subjects({"date_to": "2000-01-01"}) == set()


def test_staff_can_download_any_attachment(api, staff_api, thread):
    api.post(
        f"{THREADS}{thread.pk}/comments/", {"body": "Plik", "attachments": [pdf_file()]}, format="multipart"
    )
    attachment = MessageAttachment.objects.get()
    assert staff_api.get(f"{INBOX}attachments/{attachment.pk}/download/").status_code == 200


def test_client_cannot_use_staff_inbox(api, thread):
    assert api.get(INBOX).status_code == 403
    assert api.post(f"{INBOX}{thread.pk}/final-answer/", {"body": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_thread_lists_query_count_is_bounded(
    api, staff_api, client_user, acme, rows, django_assert_max_num_queries
):
    # given
    contract = ContractFactory(client=acme)
    for n in range(rows):
        start_thread(
            user=client_user, client=acme, subject=f"T{n}", category="other", body="x", contract=contract
        )

    # when / then
    with django_assert_max_num_queries(8):
        assert len(api.get(THREADS, {"page_size": 50}).json()["results"]) == rows
    with django_assert_max_num_queries(8):
        assert len(staff_api.get(INBOX, {"page_size": 50}).json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_thread_detail_query_count_is_bounded(api, thread, client_user, rows, django_assert_max_num_queries):
    # given
    from backend.documents.uploads import check_upload
    from backend.messaging.client_writes import add_client_comment

    for _ in range(rows):
        add_client_comment(user=client_user, thread=thread, body="x", files=[check_upload(pdf_file())])

    # when / then
    with django_assert_max_num_queries(10):
        body = api.get(f"{THREADS}{thread.pk}/").json()
    assert len(body["messages"]) == min(rows + 1, 30)  # the newest 30 at most
    assert body["message_count"] == rows + 1
    assert sum(len(m["attachments"]) for m in body["messages"]) == min(rows, 30)


def test_staff_reply_with_attachment_is_visible_to_the_client(api, staff_api, thread):
    # when
    staff_api.post(
        f"{INBOX}{thread.pk}/reply/",
        {"body": "Korekta w załączniku.", "attachments": [pdf_file("korekta.pdf")]},
        format="multipart",
    )

    # then
    reply = api.get(f"{THREADS}{thread.pk}/").json()["messages"][-1]
    assert reply["is_from_staff"] is True
    [attachment] = reply["attachments"]
    response = api.get(f"{THREADS}attachments/{attachment['id']}/download/")
    assert b"".join(response.streaming_content) == PDF
