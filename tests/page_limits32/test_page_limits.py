"""The API's per-user limits hold on the pages that do the same work (portal_ui/page_limits.py): 60 comment
posts of the page went through in a second while the API answered 429 after its limit. Over the limit a
page post is not done, the page says so and when to try again (429, Retry-After) with the way back to the
form's page, which then carries the note that makes the scripts offer the kept text."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.invoices.models import InvoiceDuplicate
from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageThread
from backend.requests_app.models import RequestAttachment, RequestEvent
from tests.factories import InvoiceFactory
from tests.logged_in_clients import api_client_as, browsing_as
from tests.portal_ui.test_flow_migration import submit_request
from tests.requests_app.helpers import PDF_BYTES
from tests.throttle_windows import still_clock_at_a_window_start  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db

LIMITED = "Za dużo żądań tego rodzaju. Spróbuj ponownie za "


@pytest.fixture
def two_messages_an_hour(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "messages": "2/hour"}


@pytest.fixture
def thread(client_user, acme) -> MessageThread:
    return start_thread(
        user=client_user,
        client=acme,
        subject="Faktura",
        category="invoices",
        body="Gdzie jest?",
        contract=None,
    )


def comments(thread: MessageThread) -> list[str]:
    return list(
        thread.messages.filter(body__startswith="Pytanie").order_by("pk").values_list("body", flat=True)
    )


def test_page_comments_over_the_limit_get_a_page_saying_when_and_nothing_is_sent(
    client_user, thread, two_messages_an_hour
):
    browser = browsing_as(client_user)
    form_page = f"http://testserver/messages/{thread.pk}/"
    url = f"/messages/{thread.pk}/comment/"

    answers = [browser.post(url, {"body": f"Pytanie {n}."}, HTTP_REFERER=form_page) for n in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    refused = answers[2]
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert LIMITED in page and "Tym razem niczego nie wysłano;" in page
    assert f'href="{form_page}"' in page  # back to the form's page
    assert comments(thread) == ["Pytanie 0.", "Pytanie 1."]
    # the form's page then says the form was not sent: forms.js and drafts.js offer back the kept text
    assert "form-not-sent" in browser.get(f"/messages/{thread.pk}/").content.decode()


def test_the_page_and_the_api_count_against_one_limit(client_user, thread, two_messages_an_hour):
    api = api_client_as(client_user)
    browser = browsing_as(client_user)

    assert api.post(f"/api/messages/{thread.pk}/comments/", {"body": "Pytanie 0."}).status_code == 201
    assert browser.post(f"/messages/{thread.pk}/comment/", {"body": "Pytanie 1."}).status_code == 302
    # both ways are now over the limit
    assert api.post(f"/api/messages/{thread.pk}/comments/", {"body": "Pytanie 2."}).status_code == 429
    assert browser.post(f"/messages/{thread.pk}/comment/", {"body": "Pytanie 3."}).status_code == 429
    assert comments(thread) == ["Pytanie 0.", "Pytanie 1."]


def test_a_duplicate_ordered_on_the_page_counts_as_on_the_api(client_user, acme, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "duplicates": "1/hour"}
    invoice = InvoiceFactory(client=acme)
    browser = browsing_as(client_user)

    assert browser.post(f"/invoices/{invoice.pk}/duplicate/").status_code == 302
    assert browser.post(f"/invoices/{invoice.pk}/duplicate/").status_code == 429
    assert api_client_as(client_user).post(f"/api/invoices/{invoice.pk}/duplicates/").status_code == 429
    assert InvoiceDuplicate.objects.filter(invoice=invoice).count() == 1
    assert browser.get(f"/invoices/{invoice.pk}/").status_code == 200  # reading is never counted


def test_staff_replies_are_limited_but_not_their_other_thread_actions(bok_staff, thread, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "messages": "1/hour"}
    browser = browsing_as(bok_staff)
    url = f"/staff/messages/{thread.pk}/"

    assert browser.post(url + "reply/", {"body": "Dzień dobry, sprawdzamy."}).status_code == 302
    assert browser.post(url + "reply/", {"body": "I jeszcze jedno."}).status_code == 429
    # an internal note reaches no client: not a message of the limit
    assert browser.post(url + "note/", {"note": "Oddzwonić po 15:00."}).status_code == 302
    assert list(thread.messages.filter(author=bok_staff).values_list("body", flat=True)) == [
        "Dzień dobry, sprawdzamy."
    ]


def test_with_the_limits_switched_off_the_page_is_not_counted(client_user, thread, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "messages": "1/hour"}
    settings.API_THROTTLE_ENABLED = False
    browser = browsing_as(client_user)

    answers = [browser.post(f"/messages/{thread.pk}/comment/", {"body": f"Pytanie {n}."}) for n in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 302]


def test_files_attached_on_a_page_count_in_the_uploads_limit_and_the_form_comes_back(
    client_user, acme, settings
):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "uploads": "1/hour"}
    portal_request = submit_request(client_user, acme)
    files = [
        SimpleUploadedFile("skan.pdf", PDF_BYTES, content_type="application/pdf"),
        SimpleUploadedFile("druga-strona.pdf", PDF_BYTES + b"\n% 2", content_type="application/pdf"),
    ]

    response = browsing_as(client_user).post(
        f"/requests/{portal_request.pk}/comment/", {"message": "Skany w załączeniu.", "files": files}
    )

    # the second file is refused beside the field, the text kept; the first is kept to send again
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Plik „druga-strona.pdf” nie został zapisany: w krótkim czasie dołączono zbyt wiele plików." in page
    )
    assert "Skany w załączeniu.</textarea>" in page
    assert list(RequestAttachment.objects.filter(client=acme).values_list("original_name", flat=True)) == [
        "skan.pdf"
    ]
    assert not RequestEvent.objects.filter(request=portal_request, kind=RequestEvent.Kind.COMMENT).exists()
