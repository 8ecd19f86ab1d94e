"""A reply sent after a complaint's wait ended without one is told when the time ended and what follows.

The complaint received on 24.11.2026 (answer due by 24.12.2026) was asked about on 15.12.2026; no reply came by
18.12.2026 and the sweep on 19.12.2026 gave it back to staff. The client answering then — from the e-mail's
one-time link, the request's page or the API — reads that the time to reply ended and when the answer
comes, not that the question was already answered; the API keeps its 409 `task_not_ready`.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from backend.requests_app.timers import sweep_due_timers
from tests.complaint_helpers import at_day, claimed_complaint
from tests.concurrency import verified
from tests.request_helpers import ask_client

pytestmark = pytest.mark.django_db

POLISH = (
    "Czas na odpowiedź minął 18.12.2026: odpowiemy na reklamację na podstawie posiadanych informacji, do "
    "24.12.2026. Możesz jeszcze dodać komentarz do wniosku."
)
ENGLISH = (
    "The time to reply ended on 2026-12-18: we will answer the complaint with the information we have, by "
    "2026-12-24. You can still add a comment to the request."
)


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


@pytest.mark.parametrize(("lang", "said"), [("pl", POLISH), ("en", ENGLISH)])
def test_a_reply_after_the_wait_ended_is_told_when_it_ended_and_what_follows(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks, lang, said
):
    client_user.language = lang
    client_user.save(update_fields=["language"])
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        with capture(execute=True):
            submitted = claimed_complaint(api_as, client_user, bok_staff)
        traveller.move_to(at_day(21, hour=10))  # asked on 15.12.2026; the link lives until the wait ends
        with capture(execute=True):
            asked = ask_client(api_as(bok_staff), submitted["id"])
            assert asked.status_code == 200, asked.json()
        [question] = [m for m in mail.outbox if client_user.email in m.to]
        link = re.search(r"/reply/[^/\s]+/", question.body).group(0)
        # when the wait ends without a reply, and the client answers afterwards
        traveller.move_to(at_day(25))
        with capture(execute=True):
            sweep_due_timers()

        # from the e-mail's link
        opened = Client().get(link)
        assert opened.status_code == 410
        assert said in words(opened.content.decode())
        assert "Nadal możesz odpowiedzieć" not in words(opened.content.decode())  # no longer
        assert "You can still answer" not in words(opened.content.decode())

        # from the request's page: the reply form's text goes to the comment form, with why
        page = verified(Client(), client_user)
        page.post("/i18n/setlang/", {"language": lang, "next": "/"})
        posted = page.post(f"/requests/{submitted['id']}/reply/", {"message": "Spóźniona odpowiedź"})
        assert posted.status_code == 400
        assert said in words(posted.content.decode())

        # and from the API: the same 409, with why
        answered = api_as(client_user).post(
            f"/api/requests/{submitted['id']}/reply/",
            {"message": "Spóźniona odpowiedź"},
            format="json",
            HTTP_ACCEPT_LANGUAGE=lang,
        )
        assert answered.status_code == 409
        assert answered.json()["code"] == "task_not_ready"
        assert answered.json()["message"] == said
