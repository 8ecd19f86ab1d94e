"""The staff inbox: the one-client view shown as a removable filter, a text search over subjects and
messages (page and API, paginated), and subjects and names sorted as people read them (every list)."""

from __future__ import annotations

import re

import pytest

from backend.messaging.client_writes import start_thread
from backend.messaging.staff_writes import reply_as_staff
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

INBOX = "/staff/messages/"


def subjects(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<th scope="row"[^>]*><a href="/(?:staff/)?messages/\d+/">([^<]+)</a>', html)


def write(user, client, subject, body="Treść"):
    return start_thread(user=user, client=client, subject=subject, category="other", body=body, contract=None)


def test_all_threads_of_a_client_shows_whose_they_are_and_a_typed_name_replaces_it(
    client, bok_staff, client_user, acme, other_company, other_client_user
):
    write(client_user, acme, "Faktura ACME")
    write(other_client_user, other_company, "Harmonogram Innej")
    client.force_login(bok_staff)

    # the thread page's "All threads of this client": the list says so, with the way back
    one_client = client.get(f"{INBOX}?client={acme.pk}")
    html = one_client.content.decode()
    assert subjects(one_client) == ["Faktura ACME"]
    chip = html[html.index('data-testid="client-filter"') :][:600]
    assert "ACME Logistyka sp. z o.o." in chip
    assert 'href="?"' in chip  # removes the client, keeps nothing else
    # a status chosen then keeps the client (hidden in the form), and the chip's link keeps the status
    with_status = client.get(f"{INBOX}?client={acme.pk}&status=open").content.decode()
    assert 'href="?status=open"' in with_status

    # when: a client's name is typed and "Filtruj" sent (the hidden client goes along)
    searched = client.get(f"{INBOX}?client={acme.pk}&client_name=Inna")

    # then: the name is what is searched
    assert subjects(searched) == ["Harmonogram Innej"]
    assert 'data-testid="client-filter"' not in searched.content.decode()


def test_the_search_finds_subjects_and_message_text_ignoring_case(
    client, api_as, bok_staff, client_user, acme
):
    write(client_user, acme, "Korekta FAKTURY", body="Adres się nie zgadza.")
    answered = write(client_user, acme, "Pytanie", body="Kiedy polisa?")
    reply_as_staff(user=bok_staff, thread=answered, body="Polisę wystawi ubezpieczyciel, zobacz fakturę.")
    write(client_user, acme, "Inna sprawa", body="Nic wspólnego.")
    client.force_login(bok_staff)

    assert set(subjects(client.get(f"{INBOX}?q=faktur"))) == {"Korekta FAKTURY", "Pytanie"}
    assert subjects(client.get(f"{INBOX}?q=ADRES")) == ["Korekta FAKTURY"]
    assert 'value="faktur"' in client.get(f"{INBOX}?q=faktur").content.decode()
    # the staff API's filter alike, paginated like the rest (one row per thread, however many messages)
    api = api_as(bok_staff)
    found = api.get("/api/staff/messages/?q=faktur&page_size=1").json()
    assert found["count"] == 2 and len(found["results"]) == 1


def test_the_search_is_paginated_with_the_filters_kept(client, bok_staff, client_user, acme):
    for number in range(27):
        write(client_user, acme, f"Wątek {number:02}", body="szukane słowo")
    write(client_user, acme, "Inny", body="nic")
    client.force_login(bok_staff)
    first = client.get(f"{INBOX}?q=szukane")
    assert len(subjects(first)) == 25
    assert "q=szukane&amp;page=2" in first.content.decode()
    assert len(subjects(client.get(f"{INBOX}?q=szukane&page=2"))) == 2


SUBJECTS = [
    "Zmiana dnia płatności",
    "flota samochodów",
    "Śląsk — oddział",
    "apteka",
    "Żuraw wieżowy",
    "sopot",
]
READING_ORDER = [
    "apteka",
    "flota samochodów",
    "sopot",
    "Śląsk — oddział",
    "Zmiana dnia płatności",
    "Żuraw wieżowy",
]


def test_subjects_sort_as_people_read_them_in_the_inbox_and_the_clients_list(
    client, bok_staff, client_user, acme
):
    for subject in SUBJECTS:
        write(client_user, acme, subject)
    client.force_login(bok_staff)
    assert subjects(client.get(f"{INBOX}?sort=subject")) == READING_ORDER
    assert subjects(client.get(f"{INBOX}?sort=-subject")) == READING_ORDER[::-1]
    client.force_login(client_user)
    assert subjects(client.get("/messages/?sort=subject")) == READING_ORDER


def test_client_names_sort_as_people_read_them(client, bok_staff, client_user):
    for name in ("Zakłady Mięsne", "alfa sp. z o.o.", "Łódzka Spółdzielnia", "Lublin Trans"):
        write(client_user, ClientFactory(name=name), f"Wątek {name}")
    client.force_login(bok_staff)
    order = subjects(client.get(f"{INBOX}?sort=client"))
    assert order == [
        "Wątek alfa sp. z o.o.",
        "Wątek Lublin Trans",
        "Wątek Łódzka Spółdzielnia",
        "Wątek Zakłady Mięsne",
    ]
