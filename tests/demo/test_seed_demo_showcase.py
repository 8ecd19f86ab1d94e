"""The printed demo logins' clients open no empty screen: message threads and compensation notes."""

from datetime import date

import pytest

from backend.accounts.models import User
from backend.clients.models import Client
from backend.demo.seed import seed_demo
from backend.documents.models import Document
from backend.invoices.models import Compensation
from backend.messaging.models import Message, MessageThread

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def demo_client(email: str):
    return User.objects.get(email=email).memberships.get(is_default=True).client


def test_demo_login_clients_get_threads_one_closed_by_a_final_answer():
    # when
    seed_demo(clients=3, seed=1, today=TODAY)
    # then both demo logins see threads of their client, in every state
    staff = User.objects.get(email="bok@leasing.example")
    shown = Client.objects.filter(
        memberships__user__email__in=["klient@demo.pl", "wspolnik@demo.pl"]
    ).distinct()
    assert shown.count() == 2  # the partner's second company too
    for client in shown:
        threads = MessageThread.objects.filter(client=client)
        assert threads.count() >= 3
        assert set(threads.values_list("status", flat=True)) == set(MessageThread.Status.values)
        final = threads.get(status=MessageThread.Status.CLOSED)
        assert final.final_answer and final.final_answer_by == staff
        last = final.messages.order_by("-created_at").first()
        assert last.is_final_answer and last.is_from_staff and last.body == final.final_answer
        for thread in threads:
            newest = thread.messages.order_by("-created_at").first()
            assert thread.last_message_at == newest.created_at
            assert (
                thread.messages.filter(is_from_staff=False)
                .first()
                .author.memberships.filter(client=client)
                .exists()
            )
    # and clients without a demo login get none
    assert not MessageThread.objects.exclude(client__in=shown).exists()


def test_demo_login_clients_have_compensation_notes_with_their_documents():
    seed_demo(clients=3, seed=1, today=TODAY)
    client = demo_client("klient@demo.pl")
    compensations = Compensation.objects.filter(client=client)
    assert compensations.count() >= 2
    for compensation in compensations:
        assert compensation.invoice.client_id == client.pk
        assert Document.objects.filter(
            client=client, kind=Document.Kind.COMPENSATION_NOTE, title__endswith=compensation.note_number
        ).exists()


def test_seeding_again_adds_no_threads_or_messages():
    seed_demo(clients=2, seed=4, today=TODAY)
    before = (MessageThread.objects.count(), Message.objects.count(), Compensation.objects.count())
    seed_demo(clients=2, seed=4, today=TODAY)
    assert (MessageThread.objects.count(), Message.objects.count(), Compensation.objects.count()) == before
    assert before[0] > 0
