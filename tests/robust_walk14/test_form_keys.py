"""The writing forms of messages and invoice duplicates carry a one-time key: the same form posted twice (a
double click, a re-sent page) writes once, and the second answer shows what the first one made."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from backend.invoices.models import InvoiceDuplicate
from backend.messaging.models import Message, MessageThread
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

INBOX = "/staff/messages/"


def form_key(html: str, form_testid: str | None = None) -> str:
    """The one-time key of the page's form (of the form with this data-testid)."""
    if form_testid is not None:
        html = html.split(f'data-testid="{form_testid}"', 1)[1]
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match, "the form carries no one-time key"
    return match.group(1)


def test_a_new_message_posted_twice_makes_one_thread_and_both_answers_show_it(client, client_user, acme):
    client.force_login(client_user)
    page = client.get("/messages/new/").content.decode()
    assert re.search(r'<form[^>]*class="once"[^>]*data-testid="new-message-form"', page)
    form = {
        "subject": "Pytanie o polisę",
        "category": "insurance",
        "body": "Proszę o kopię polisy.",
        "idempotency_key": form_key(page),
        "acting_for": acme.pk,
    }

    first = client.post("/messages/new/", form)
    second = client.post("/messages/new/", form)

    thread = MessageThread.objects.get()
    assert thread.messages.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/messages/{thread.pk}/"
    # what the browser shows after the second post: the thread and one "sent"
    shown = client.get(second["Location"]).content.decode()
    assert shown.count("Wiadomość została wysłana. Odpowiemy najszybciej, jak to możliwe.") == 1


def test_a_new_message_form_shown_again_gets_a_fresh_key(client, client_user, acme):
    client.force_login(client_user)
    first = form_key(client.get("/messages/new/").content.decode())
    refused = client.post("/messages/new/", {"subject": "", "idempotency_key": first, "acting_for": acme.pk})
    assert refused.status_code == 400
    assert form_key(refused.content.decode()) != first


def test_the_same_key_with_another_text_is_refused_and_nothing_is_sent(client, client_user, acme):
    client.force_login(client_user)
    key = form_key(client.get("/messages/new/").content.decode())
    form = {"subject": "Pytanie", "category": "other", "body": "Pierwsza treść.", "idempotency_key": key}
    assert client.post("/messages/new/", {**form, "acting_for": acme.pk}).status_code == 302

    # a stale copy of the sent form, with another text typed in
    stale = client.post("/messages/new/", {**form, "body": "Zupełnie inna treść.", "acting_for": acme.pk})

    assert stale.status_code == 409
    assert "Ten formularz został już wysłany z inną treścią" in stale.content.decode()
    assert "Zupełnie inna treść.</textarea>" in stale.content.decode()
    assert MessageThread.objects.count() == 1


def test_a_comment_posted_twice_is_added_once(client, client_user, acme, thread):
    client.force_login(client_user)
    page = client.get(f"/messages/{thread.pk}/").content.decode()
    assert re.search(r'<form[^>]*class="once"[^>]*data-testid="comment-form"', page)
    form = {
        "body": "Dziękuję, czekam.",
        "idempotency_key": form_key(page, "comment-form"),
        "acting_for": acme.pk,
    }

    first = client.post(f"/messages/{thread.pk}/comment/", form)
    second = client.post(f"/messages/{thread.pk}/comment/", form)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Message.objects.filter(thread=thread, body="Dziękuję, czekam.").count() == 1


def test_a_staff_reply_posted_twice_is_sent_once(client, bok_staff, thread):
    client.force_login(bok_staff)
    page = client.get(f"{INBOX}{thread.pk}/").content.decode()
    assert re.search(r'<form[^>]*data-testid="reply-form" class="staff-form once"', page)
    form = {"body": "Adres poprawimy do piątku.", "idempotency_key": form_key(page, "reply-form")}

    first = client.post(f"{INBOX}{thread.pk}/reply/", form)
    second = client.post(f"{INBOX}{thread.pk}/reply/", form)

    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(thread=thread, is_from_staff=True).count() == 1
    assert client.get(second["Location"]).content.decode().count("Odpowiedź została wysłana do klienta.") == 1


def test_a_final_answer_posted_twice_closes_the_thread_once_without_a_refusal(client, bok_staff, thread):
    client.force_login(bok_staff)
    page = client.get(f"{INBOX}{thread.pk}/").content.decode()
    form = {"final_answer": "Adres poprawiony.", "idempotency_key": form_key(page, "final-form")}

    first = client.post(f"{INBOX}{thread.pk}/final-answer/", form)
    second = client.post(f"{INBOX}{thread.pk}/final-answer/", form)

    # the second post does not say "Meanwhile you gave the final answer: your text was not sent"
    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(thread=thread, is_final_answer=True).count() == 1


def test_generate_document_posted_twice_records_one_duplicate(client, client_user, acme):
    invoice = InvoiceFactory(client=acme)
    client.force_login(client_user)
    page = client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()
    form_html = page.split(reverse("invoice-duplicate-new", args=[invoice.pk]), 1)[1]
    assert form_html.startswith('" class="once"')
    key = form_key(form_html)

    first = client.post(reverse("invoice-duplicate-new", args=[invoice.pk]), {"idempotency_key": key})
    second = client.post(reverse("invoice-duplicate-new", args=[invoice.pk]), {"idempotency_key": key})

    assert first.status_code == second.status_code == 302
    assert InvoiceDuplicate.objects.filter(invoice=invoice).count() == 1
    assert (
        client.get(second["Location"])
        .content.decode()
        .count(f"Duplikat faktury {invoice.number} jest gotowy")
        == 1
    )
    # a new page gives the next "Generuj dokument" a new key: a second duplicate is made on purpose
    again = form_key(
        client.get(reverse("invoice-page", args=[invoice.pk])).content.decode().split("duplicate/", 1)[1]
    )
    client.post(reverse("invoice-duplicate-new", args=[invoice.pk]), {"idempotency_key": again})
    assert InvoiceDuplicate.objects.filter(invoice=invoice).count() == 2
