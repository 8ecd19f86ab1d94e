"""Run by test_concurrent_form_posts in a subprocess on a database of its own: each writing form of the
messages and of an invoice's duplicates posted twice at the same moment with the same one-time key, as a
double click over a slow network sends it.

Prints one JSON line: per form, the two answers (status and where they lead) and how many rows it made.
"""

from __future__ import annotations

import json
import uuid

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client as PageClient  # noqa: E402

from backend.accounts.models import User  # noqa: E402
from backend.invoices.models import InvoiceDuplicate  # noqa: E402
from backend.messaging.client_writes import start_thread  # noqa: E402
from backend.messaging.models import Message, MessageThread  # noqa: E402
from tests.concurrency import released_together, verified  # noqa: E402
from tests.factories import ClientFactory, InvoiceFactory, MembershipFactory, UserFactory  # noqa: E402


def logged_in(user) -> PageClient:
    return verified(PageClient(), user)


def twice_at_once(page: PageClient, path: str, form: dict) -> list[list]:
    """The same form posted by two threads released together; their answers (status, Location)."""

    def post() -> list:
        response = page.post(path, form)
        return [response.status_code, response.get("Location", "")]

    return released_together([post, post])


def main() -> None:
    call_command("migrate", verbosity=0)
    company = ClientFactory()
    client_user = UserFactory(email="klient@firma.pl")
    MembershipFactory(user=client_user, client=company)
    staff = UserFactory(email="bok@leasing.example", role=User.Role.STAFF)
    browser, staff_browser = logged_in(client_user), logged_in(staff)
    key = lambda: str(uuid.uuid4())  # noqa: E731  (a fresh form each)

    new_message = twice_at_once(
        browser,
        "/messages/new/",
        {
            "subject": "Pytanie o polisę",
            "category": "insurance",
            "body": "Proszę o kopię polisy.",
            "acting_for": company.pk,
            "idempotency_key": key(),
        },
    )
    threads = MessageThread.objects.filter(client=company).count()
    thread = start_thread(
        user=client_user, client=company, subject="Faktura", category="invoices", body="Treść.", contract=None
    )
    comment = twice_at_once(
        browser,
        f"/messages/{thread.pk}/comment/",
        {"body": "Dziękuję.", "acting_for": company.pk, "idempotency_key": key()},
    )
    comments = Message.objects.filter(thread=thread, body="Dziękuję.").count()
    reply = twice_at_once(
        staff_browser,
        f"/staff/messages/{thread.pk}/reply/",
        {"body": "Odpowiadamy.", "idempotency_key": key()},
    )
    replies = Message.objects.filter(thread=thread, is_from_staff=True).count()
    invoice = InvoiceFactory(client=company)
    duplicate = twice_at_once(browser, f"/invoices/{invoice.pk}/duplicate/", {"idempotency_key": key()})
    duplicates = InvoiceDuplicate.objects.filter(invoice=invoice).count()
    print(
        json.dumps(
            {
                "new_message": new_message,
                "threads": threads,
                "comment": comment,
                "comments": comments,
                "reply": reply,
                "replies": replies,
                "duplicate": duplicate,
                "duplicates": duplicates,
            }
        )
    )


if __name__ == "__main__":
    main()
