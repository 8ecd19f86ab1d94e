"""A long message thread's pages (the outside tester's round of #19: 466 messages were 183 KB and 390 ms
of CPU per view): the client's and the staff page show the thread's first message and its newest 30,
with "Pokaż wcześniejsze wiadomości (N)" (a plain link, `?from=<message id>`) for the ones left out; a
link to an earlier message shows it; the live update keeps what is shown; the SQL stays flat."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.messaging.attachments import upload_attachment
from backend.messaging.models import Message
from backend.messaging.staff_writes import reply_as_staff, set_final_answer
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOWN_IDS = re.compile(r'<li id="message-(\d+)"')


def lengthen(thread, author, staff, count: int) -> list[int]:
    """Add `count` messages after the thread's first, a minute apart up to now, alternating client and
    staff; return the ids of all its messages in reading order."""
    now = timezone.now()
    thread.messages.update(created_at=now - timedelta(minutes=count + 1))
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=staff if n % 2 else author,
            is_from_staff=bool(n % 2),
            body=f"Wiadomość numer {n + 2}",
            created_at=now - timedelta(minutes=count - n),
        )
        for n in range(count)
    )
    thread.last_message_at = now
    thread.save(update_fields=["last_message_at"])
    return list(thread.messages.order_by("created_at", "id").values_list("id", flat=True))


def shown(html: str) -> list[int]:
    return [int(pk) for pk in SHOWN_IDS.findall(html)]


@pytest.fixture
def long_thread(thread, client_user, bok_staff):
    thread.ids = lengthen(thread, client_user, bok_staff, 79)  # 80 messages
    return thread


@pytest.mark.parametrize("who", ["client", "staff"])
def test_a_long_thread_shows_its_question_and_newest_30_and_says_how_many_are_left_out(
    who, long_thread, client_user, bok_staff
):
    user, url = {
        "client": (client_user, f"/messages/{long_thread.pk}/"),
        "staff": (bok_staff, f"/staff/messages/{long_thread.pk}/"),
    }[who]
    ids = long_thread.ids
    html = browsing_as(user).get(url).content.decode()

    assert shown(html) == [ids[0], *ids[-30:]]
    assert "Proszę o korektę adresu." in html  # the question, as context
    assert "Wiadomość numer 21" not in html and "Wiadomość numer 80" in html
    link = re.search(r'<a class="button" href="([^"]+)" data-testid="show-earlier">([^<]+)</a>', html)
    assert link.group(2) == "Pokaż wcześniejsze wiadomości (49)"
    # 30 more, the first of them focused by the address's fragment (tabindex=-1)
    assert link.group(1) == f"?from={ids[20]}#message-{ids[20]}"
    assert f'<li id="message-{ids[20]}" tabindex="-1"' not in html
    # the newest 30 numbered as the thread's 51st to 80th message
    assert 'data-testid="thread-messages" start="51"' in html
    # the live update fetches the page as shown, so a new message takes nothing away
    assert f'data-live-url="{url}?from={ids[-30]}"' in html

    earlier = browsing_as(user).get(url + link.group(1).split("#")[0]).content.decode()
    assert shown(earlier) == [ids[0], *ids[20:]]
    assert re.search(r'data-testid="show-earlier">Pokaż wcześniejsze wiadomości \(19\)</a>', earlier)
    assert f'href="?from={ids[1]}#message-{ids[1]}" data-testid="show-earlier"' in earlier

    whole = browsing_as(user).get(f"{url}?from={ids[1]}").content.decode()
    assert shown(whole) == ids
    assert 'data-testid="show-earlier"' not in whole


def test_the_client_page_of_a_long_thread_is_a_fraction_of_the_whole(long_thread, client_user):
    page = browsing_as(client_user)
    newest = page.get(f"/messages/{long_thread.pk}/").content
    whole = page.get(f"/messages/{long_thread.pk}/?from={long_thread.ids[1]}").content
    assert len(newest) < 0.6 * len(whole)


def test_a_link_to_an_earlier_message_shows_it_and_a_foreign_or_bad_one_is_ignored(
    long_thread, other_thread_of_another_client, client_user, bok_staff
):
    ids = long_thread.ids
    html = browsing_as(client_user).get(f"/messages/{long_thread.pk}/?from={ids[5]}").content.decode()
    assert shown(html) == [ids[0], *ids[5:]]
    assert "Pokaż wcześniejsze wiadomości (4)" in html

    # a message of the newest part: the page as it opens (the part is never smaller than 30)
    assert shown(
        browsing_as(bok_staff).get(f"/staff/messages/{long_thread.pk}/?from={ids[-2]}").content.decode()
    ) == [
        ids[0],
        *ids[-30:],
    ]
    foreign = other_thread_of_another_client.messages.get().pk
    for value in (str(foreign), "abc", "-3", "9" * 40, ""):
        response = browsing_as(client_user).get(f"/messages/{long_thread.pk}/", {"from": value})
        assert response.status_code == 200
        assert shown(response.content.decode()) == [ids[0], *ids[-30:]]


def test_one_message_left_out_is_said_in_the_singular_and_two_are_shown_in_full(
    thread, client_user, bok_staff
):
    ids = lengthen(thread, client_user, bok_staff, 31)  # 32: the question, 1 left out, 30
    html = browsing_as(client_user).get(f"/messages/{thread.pk}/").content.decode()
    assert "Pokaż wcześniejszą wiadomość (1)" in html
    assert shown(html) == [ids[0], *ids[2:]]
    # 31: the question and the newest 30 are the whole thread, no link
    Message.objects.filter(pk=ids[-1]).delete()
    html = browsing_as(client_user).get(f"/messages/{thread.pk}/").content.decode()
    assert shown(html) == ids[:-1] and 'data-testid="thread-earlier"' not in html


def test_the_final_answer_attachments_and_forms_stay_on_a_long_thread(long_thread, client_user, bok_staff):
    upload = upload_attachment(
        user=bok_staff,
        client=long_thread.client,
        uploaded=SimpleUploadedFile("korekta.pdf", PDF, content_type="application/pdf"),
    )
    reply_as_staff(
        user=bok_staff, thread=long_thread, body="Korekta w załączniku.", attachment_ids=[upload.pk]
    )
    set_final_answer(user=bok_staff, thread=long_thread, body="Sprawa zamknięta.")

    client_html = browsing_as(client_user).get(f"/messages/{long_thread.pk}/").content.decode()
    assert 'data-testid="final-answer"' in client_html and "badge-final" in client_html
    assert f"/messages/attachments/{upload.pk}/" in client_html and "korekta.pdf" in client_html
    assert 'data-testid="comment-form"' in client_html

    staff_html = browsing_as(bok_staff).get(f"/staff/messages/{long_thread.pk}/").content.decode()
    assert "korekta.pdf" in staff_html and 'data-testid="final-answer"' in staff_html
    assert 'data-testid="note-form"' in staff_html and 'data-testid="assignee"' in staff_html


def test_a_comment_on_a_long_thread_comes_back_to_its_newest_part(long_thread, client_user):
    page = browsing_as(client_user)
    response = page.post(f"/messages/{long_thread.pk}/comment/", {"body": "Jeszcze jedno pytanie."})
    # back at the comment itself (#message-<id>, session 32: forms.js focuses it), at the newest part's end
    comment = long_thread.messages.latest("pk")
    assert response.status_code == 302 and response["Location"].endswith(f"#message-{comment.pk}")
    html = page.get(response["Location"]).content.decode()
    assert "Jeszcze jedno pytanie." in html and len(shown(html)) == 31
    # an empty comment: the page again with the dialog open, the newest part shown
    refused = page.post(f"/messages/{long_thread.pk}/comment/", {"body": ""})
    assert refused.status_code == 400 and len(shown(refused.content.decode())) == 31


def queries(page_client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert page_client.get(url).status_code == 200
    return len(captured)


def test_the_sql_of_a_thread_page_does_not_grow_with_the_thread(thread, client_user, bok_staff):
    client_page, staff_page = browsing_as(client_user), browsing_as(bok_staff)
    queries(client_page, f"/messages/{thread.pk}/")  # the session's first request does more
    queries(staff_page, f"/staff/messages/{thread.pk}/")
    short = (
        queries(client_page, f"/messages/{thread.pk}/"),
        queries(staff_page, f"/staff/messages/{thread.pk}/"),
    )
    ids = lengthen(thread, client_user, bok_staff, 79)
    long = (
        queries(client_page, f"/messages/{thread.pk}/"),
        queries(staff_page, f"/staff/messages/{thread.pk}/"),
    )
    assert long == short
    assert queries(client_page, f"/messages/{thread.pk}/?from={ids[1]}") == short[0]


@pytest.fixture
def other_thread_of_another_client(other_company):
    from backend.messaging.client_writes import start_thread
    from tests.factories import MembershipFactory

    someone = MembershipFactory(client=other_company).user
    return start_thread(
        user=someone,
        client=other_company,
        subject="Inna firma",
        category="other",
        body="Obce.",
        contract=None,
    )
