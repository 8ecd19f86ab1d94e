"""Skrzynka wiadomości pages with Django's client: list filters, counts, pagination, the thread's actions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.messaging.client_writes import start_thread
from backend.messaging.models import InternalNote, MessageAttachment, MessageThread
from backend.messaging.staff_writes import add_internal_note, assign_thread, reply_as_staff
from tests.factories import ClientFactory, ContractFactory
from tests.staff_workspace.conftest import pdf_file

pytestmark = pytest.mark.django_db

INBOX = "/staff/messages/"


def subjects(response) -> list[str]:
    table = response.content.decode().split('data-testid="inbox-table"', 1)
    if len(table) < 2:
        return []
    return re.findall(r'<th scope="row"[^>]*><a href="/staff/messages/\d+/">([^<]+)</a>', table[1])


def queue_count(response, queue: str) -> int:
    match = re.search(
        rf'data-testid="queue-{queue}"[^>]*><span class="queue-count">(\d+)</span>', response.content.decode()
    )
    assert match, f"no count for {queue}"
    return int(match.group(1))


@pytest.fixture
def inbox_world(client_user, acme, acme_contract, other_company, other_client_user, bok_staff, second_staff):
    """Four threads: unanswered (acme), answered and mine, closed, unassigned of another client."""

    def thread(subject, *, user=client_user, client=acme, contract=acme_contract, category="invoices"):
        return start_thread(
            user=user, client=client, subject=subject, category=category, body="Treść", contract=contract
        )

    open_one = thread("Faktura 1")
    answered = thread("Harmonogram", category="schedule")
    reply_as_staff(user=bok_staff, thread=answered, body="Odpowiedź")  # takes it: mine
    closed = thread("Zamknięty")
    from backend.messaging.staff_writes import set_final_answer

    set_final_answer(user=second_staff, thread=closed, body="Koniec")
    other_contract = ContractFactory(client=other_company)
    foreign = thread("Inna firma", user=other_client_user, client=other_company, contract=other_contract)
    return {"open": open_one, "answered": answered, "closed": closed, "foreign": foreign}


def test_the_inbox_lists_every_clients_threads_with_counts(client, bok_staff, inbox_world):
    client.force_login(bok_staff)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert set(subjects(response)) == {"Faktura 1", "Harmonogram", "Zamknięty", "Inna firma"}
    assert queue_count(response, "unanswered") == 2  # Faktura 1, Inna firma
    assert queue_count(response, "awaiting_final") == 1  # Harmonogram
    assert queue_count(response, "mine") == 1  # Harmonogram (replied, so taken)
    assert queue_count(response, "unassigned") == 2


@pytest.mark.parametrize(
    "query, expected",
    [
        ("queue=unanswered", {"Faktura 1", "Inna firma"}),
        ("queue=awaiting_final", {"Harmonogram"}),
        ("queue=mine", {"Harmonogram"}),
        ("queue=unassigned", {"Faktura 1", "Inna firma"}),
        ("status=closed", {"Zamknięty"}),
        ("category=schedule", {"Harmonogram"}),
        ("client_name=inna", {"Inna firma"}),
        ("assignee=none", {"Faktura 1", "Inna firma"}),
    ],
)
def test_each_filter_and_its_count_agree(client, bok_staff, inbox_world, query, expected):
    client.force_login(bok_staff)
    response = client.get(f"{INBOX}?{query}")
    assert set(subjects(response)) == expected
    if query.startswith("queue="):
        assert queue_count(response, query.removeprefix("queue=")) == len(expected)


def queue_link(response, queue: str) -> str:
    match = re.search(rf'href="\?([^"]*)" data-testid="queue-{queue}"', response.content.decode())
    assert match, f"no link for {queue}"
    return match.group(1).replace("&amp;", "&")


def test_the_working_views_count_what_a_search_found_and_keep_it_when_opened(client, bok_staff, inbox_world):
    client.force_login(bok_staff)

    # given a search for the other company's name, sorted by subject
    response = client.get(f"{INBOX}?client_name=inna&sort=subject")

    # then each view counts only the threads the search found (Inna firma: unanswered and unassigned) ...
    assert queue_count(response, "unanswered") == 1
    assert queue_count(response, "awaiting_final") == 0
    assert queue_count(response, "mine") == 0
    assert queue_count(response, "unassigned") == 1
    assert 'data-testid="queue-counts-filtered"' in response.content.decode()
    # ... and opening one keeps the search (not the sort: each view has its own order)
    link = queue_link(response, "unanswered")
    assert "client_name=inna" in link and "queue=unanswered" in link and "sort=" not in link
    assert subjects(client.get(f"{INBOX}?{link}")) == ["Inna firma"]

    # without a search the views count every thread and open alone
    plain = client.get(f"{INBOX}?queue=mine")
    assert queue_count(plain, "unanswered") == 2 and queue_count(plain, "unassigned") == 2
    assert queue_link(plain, "unanswered") == "queue=unanswered"
    assert 'data-testid="queue-counts-filtered"' not in plain.content.decode()


def test_filter_by_client_contract_and_date(client, bok_staff, inbox_world, other_company):
    client.force_login(bok_staff)
    foreign = inbox_world["foreign"]
    assert subjects(client.get(f"{INBOX}?client={other_company.pk}")) == ["Inna firma"]
    assert subjects(client.get(f"{INBOX}?contract_number={foreign.contract.number}")) == ["Inna firma"]
    last_message_at = timezone.now() - timedelta(days=40)
    MessageThread.objects.filter(pk=foreign.pk).update(last_message_at=last_message_at)
    # The local day of that moment: 40 days back may be across a daylight-saving change (CEST → CET), so
    # today's local date minus 40 days is another day in the last hour before local midnight.
    old_day = timezone.localdate(last_message_at).isoformat()
    assert subjects(client.get(f"{INBOX}?date_from={old_day}&date_to={old_day}")) == ["Inna firma"]
    assert "Inna firma" not in subjects(client.get(f"{INBOX}?date_from={timezone.localdate().isoformat()}"))


@pytest.mark.parametrize(
    "query",
    [
        "client=abc",
        "client=99999999999999999999999",
        "queue=x",
        "assignee=%C2%B2",
        "date_from=2026-13-45",
        "page=zzz",
        "sort=-nope",
    ],
)
def test_malformed_filters_are_ignored_not_500(client, bok_staff, inbox_world, query):
    client.force_login(bok_staff)
    response = client.get(f"{INBOX}?{query}")
    assert response.status_code == 200
    assert len(subjects(response)) == 4


def test_sorting_by_client_name(client, bok_staff, inbox_world):
    client.force_login(bok_staff)
    names = subjects(client.get(f"{INBOX}?sort=-client"))
    assert names[0] == "Inna firma"  # "Inna Firma S.A." after "ACME …" reversed


def test_the_inbox_paginates_with_the_filters_kept(client, bok_staff, client_user, acme):
    for number in range(27):
        start_thread(
            user=client_user,
            client=acme,
            subject=f"Wątek {number:02}",
            category="other",
            body="x",
            contract=None,
        )
    client.force_login(bok_staff)
    first = client.get(f"{INBOX}?queue=unanswered")
    assert len(subjects(first)) == 25
    assert "queue=unanswered&amp;page=2" in first.content.decode()
    second = client.get(f"{INBOX}?queue=unanswered&page=2")
    assert len(subjects(second)) == 2
    assert not set(subjects(first)) & set(subjects(second))


def test_clients_get_403_and_visitors_the_login(client, client_user, inbox_world):
    thread = inbox_world["open"]
    assert client.get(INBOX)["Location"].startswith(reverse("login"))
    client.force_login(client_user)
    assert client.get(INBOX).status_code == 403
    assert client.get(f"{INBOX}{thread.pk}/").status_code == 403
    assert client.post(f"{INBOX}{thread.pk}/reply/", {"body": "x"}).status_code == 403
    assert client.post(f"{INBOX}{thread.pk}/note/", {"note": "x"}).status_code == 403


def test_the_nav_entry_is_no_longer_a_placeholder(client, bok_staff):
    client.force_login(bok_staff)
    html = client.get(reverse("staff-home")).content.decode()
    assert f'href="{INBOX}"' in html


# --- the thread page -------------------------------------------------------------------------------


def test_the_thread_page_shows_client_contract_category_messages_and_notes(client, bok_staff, thread):
    add_internal_note(user=bok_staff, thread=thread, body="Sprawdzić saldo")
    client.force_login(bok_staff)
    html = client.get(f"{INBOX}{thread.pk}/").content.decode()
    assert "ACME Logistyka sp. z o.o." in html
    assert thread.contract.number in html
    assert "Proszę o korektę faktury." in html
    assert "Sprawdzić saldo" in html


def test_a_reply_with_an_attachment_from_the_page(client, bok_staff, thread):
    client.force_login(bok_staff)
    response = client.post(
        f"{INBOX}{thread.pk}/reply/", {"body": "W załączniku korekta.", "attachments": [pdf_file()]}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == MessageThread.Status.ANSWERED
    reply = thread.messages.get(is_from_staff=True)
    assert reply.body == "W załączniku korekta."
    assert MessageAttachment.objects.get(message=reply).original_name == "odpowiedz.pdf"
    html = client.get(f"{INBOX}{thread.pk}/").content.decode()
    assert "odpowiedz.pdf" in html


def test_a_reply_with_a_forged_file_is_refused_with_the_text_kept(client, bok_staff, thread):
    client.force_login(bok_staff)
    fake = pdf_file("wirus.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client.post(f"{INBOX}{thread.pk}/reply/", {"body": "Treść odpowiedzi", "attachments": [fake]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Treść odpowiedzi" in html
    assert 'id="id_attachments-error"' in html
    assert not thread.messages.filter(is_from_staff=True).exists()


def test_an_empty_reply_is_a_field_error(client, bok_staff, thread):
    client.force_login(bok_staff)
    response = client.post(f"{INBOX}{thread.pk}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert 'id="id_body-error"' in response.content.decode()


def test_the_final_answer_from_the_page_closes_the_thread(client, bok_staff, thread):
    client.force_login(bok_staff)
    response = client.post(f"{INBOX}{thread.pk}/final-answer/", {"final_answer": "Decyzja ostateczna."})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == MessageThread.Status.CLOSED
    assert thread.final_answer == "Decyzja ostateczna."
    html = client.get(f"{INBOX}{thread.pk}/").content.decode()
    assert 'data-testid="final-answer"' in html and 'data-testid="reply-form"' not in html
    # a second final answer (another tab) is the page as it is now, saying why, with the text kept
    again = client.post(f"{INBOX}{thread.pk}/final-answer/", {"final_answer": "Jeszcze raz"})
    assert again.status_code == 409
    assert "Jeszcze raz" in again.content.decode()
    assert "Jeszcze raz" not in MessageThread.objects.get(pk=thread.pk).final_answer


def test_take_over_assign_and_release_from_the_page(client, bok_staff, second_staff, thread):
    assign_thread(user=second_staff, thread=thread, assignee=second_staff)
    client.force_login(bok_staff)
    client.post(f"{INBOX}{thread.pk}/take-over/")
    thread.refresh_from_db()
    assert thread.assignee == bok_staff
    client.post(f"{INBOX}{thread.pk}/assign/", {"assignee_id": second_staff.pk})
    thread.refresh_from_db()
    assert thread.assignee == second_staff
    client.post(f"{INBOX}{thread.pk}/take-over/")
    client.post(f"{INBOX}{thread.pk}/release/")
    thread.refresh_from_db()
    assert thread.assignee is None
    response = client.post(f"{INBOX}{thread.pk}/assign/", {"assignee_id": "abc"})
    assert response.status_code == 400
    thread.refresh_from_db()
    assert thread.assignee is None


def test_assign_asks_for_a_person_beside_the_select(client, bok_staff, second_staff, thread):
    """An unassigned thread's select starts at "choose" (not the first colleague); "Assign" with nobody
    chosen is refused beside the select instead of silently releasing or assigning."""
    client.force_login(bok_staff)
    page = client.get(f"{INBOX}{thread.pk}/").content.decode()
    select = page[
        page.index('<select id="id_assignee"') : page.index("</select>", page.index('id="id_assignee"'))
    ]
    assert select.index('<option value="">') < select.index(f'value="{second_staff.pk}"')
    assert " selected" not in select
    response = client.post(f"{INBOX}{thread.pk}/assign/", {"assignee_id": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="err-assignee_id"' in html
    assert 'id="err-assignee_id"' in html
    thread.refresh_from_db()
    assert thread.assignee is None
    # An assigned thread's select leaves its holder out and starts at "choose", as the task page's does.
    assign_thread(user=bok_staff, thread=thread, assignee=second_staff)
    page = client.get(f"{INBOX}{thread.pk}/").content.decode()
    select = page[
        page.index('<select id="id_assignee"') : page.index("</select>", page.index('id="id_assignee"'))
    ]
    assert '<option value="">' in select and " selected" not in select
    assert f'value="{second_staff.pk}"' not in select


def test_an_internal_note_from_the_page(client, bok_staff, thread):
    client.force_login(bok_staff)
    response = client.post(f"{INBOX}{thread.pk}/note/", {"note": "Klient prosi o telefon."})
    assert response.status_code == 302
    assert InternalNote.objects.get(thread=thread).body == "Klient prosi o telefon."
    assert client.post(f"{INBOX}{thread.pk}/note/", {"note": ""}).status_code == 400


def test_unknown_actions_and_threads_are_404(client, bok_staff, thread):
    client.force_login(bok_staff)
    assert client.post(f"{INBOX}{thread.pk}/delete/").status_code == 404
    assert client.get(f"{INBOX}999999/").status_code == 404
    # A GET of the reply form's address: back to the thread's page (portal_ui/post_only_pages.py).
    assert client.get(f"{INBOX}{thread.pk}/reply/")["Location"] == f"{INBOX}{thread.pk}/"


def test_the_inbox_query_count_does_not_grow_with_the_threads(
    client, bok_staff, client_user, acme, django_assert_max_num_queries
):
    for number in range(20):
        company = ClientFactory()  # a client and a contract each: no N+1 over either
        thread = start_thread(
            user=client_user,
            client=company,
            subject=f"W{number}",
            category="other",
            body="x",
            contract=ContractFactory(client=company),
        )
        assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
    client.force_login(bok_staff)
    with django_assert_max_num_queries(12):
        assert client.get(INBOX).status_code == 200
