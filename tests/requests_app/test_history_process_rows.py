"""The stage changes the process makes after the client's submit or reply are not credited to the client,
on the client's page nor in the client's API; the row keeps who ran the step (the staff's view and the
audit). The client's withdrawal stays theirs."""

from __future__ import annotations

import re

import pytest

from backend.requests_app.models import RequestEvent
from tests.client_correctness.helpers import visible_text
from tests.reply_link.helpers import ask_with_contact, reply_link_path
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


def _page_rows(html: str) -> list[tuple[str, str]]:
    """(kind, visible text) of each row of the page's history."""
    history = html.split('id="request-history"')[1].split("</ol>")[0]
    rows = history.split('<li class="timeline-item')[1:]
    return [(re.search(r"kind-(\w+)", row).group(1), " ".join(visible_text(row).split())) for row in rows]


def _asked_and_replied(api_as, client_user, bok_staff) -> int:
    client_api = api_as(client_user)
    body = submission("other_request", data={"subject": "Polisa", "message": "Czy mogę zmienić?"})
    request_id = client_api.post("/api/requests/", body, format="json").json()["id"]
    api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Numer polisy?"}, format="json"
    )
    client_api.post(f"/api/requests/{request_id}/reply/", {"message": "POL-1"}, format="json")
    return request_id


def test_the_client_page_shows_the_process_stage_changes_as_nobodys(api_as, client_user, bok_staff):
    # given: a request the client submitted, staff asked about and the client answered
    request_id = _asked_and_replied(api_as, client_user, bok_staff)

    # when
    rows = _page_rows(api_as(client_user).get(f"/requests/{request_id}/").content.decode())

    # then: the submit and the reply are the client's ("Ty"), the stage changes after them nobody's
    kinds = [kind for kind, _ in rows]
    assert kinds == ["submitted", "stage_changed", "question", "stage_changed", "reply", "stage_changed"]
    assert rows[0][1].endswith("· Ty") and rows[4][1].split("POL-1")[0].strip().endswith("· Ty")
    for kind, text in rows:
        if kind == "stage_changed":
            assert "Ty" not in text.split() and "Anna" not in text, text


def test_the_client_api_shows_the_process_stage_changes_as_the_systems(api_as, client_user, bok_staff):
    # given
    request_id = _asked_and_replied(api_as, client_user, bok_staff)

    # when
    history = api_as(client_user).get(f"/api/requests/{request_id}/").json()["history"]

    # then: the client's rows are the client's, every stage change the system's, like the page says
    authors = [(row["kind"], row["author"], row["actor_name"]) for row in history]
    assert authors == [
        ("submitted", "client", "Anna Kowalska"),
        ("stage_changed", "system", ""),
        ("question", "staff", "Barbara Obsługa"),
        ("stage_changed", "system", ""),
        ("reply", "client", "Anna Kowalska"),
        ("stage_changed", "system", ""),
    ]
    # and the stored rows still name who ran the step (the audit, the notices, the staff's page)
    stored = RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.STAGE_CHANGED)
    assert [row.actor_id for row in stored.order_by("id")] == [client_user.pk, bok_staff.pk, client_user.pk]
    staff_history = api_as(bok_staff).get(f"/api/staff/requests/{request_id}/").json()["history"]
    assert [r["actor_name"] for r in staff_history if r["kind"] == "stage_changed"][0] == "Anna Kowalska"


def test_the_clients_withdrawal_stays_theirs(api_as, client_user):
    # given
    client_api = api_as(client_user)
    body = submission("other_request", data={"subject": "Polisa", "message": "Czy mogę zmienić?"})
    request_id = client_api.post("/api/requests/", body, format="json").json()["id"]

    # when
    assert client_api.post(f"/api/requests/{request_id}/cancel/").status_code == 200

    # then: the withdrawal is the client's own act, on the page and in the API
    kind, text = _page_rows(client_api.get(f"/requests/{request_id}/").content.decode())[-1]
    assert kind == "stage_changed" and text.endswith("· Ty")
    last = client_api.get(f"/api/requests/{request_id}/").json()["history"][-1]
    assert (last["status_to"], last["author"], last["actor_name"]) == ("cancelled", "client", "Anna Kowalska")


def test_after_a_reply_by_the_emails_link_the_stage_change_is_the_systems_and_the_reply_the_contacts(
    api_as, client, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    # given: the contact person (no account) answered staff's question by the e-mail's link
    contact = "kontakt.zewnetrzny@acme.pl"
    request_id = ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email=contact,
        question="Proszę o numer rachunku.",
    )
    assert client.post(reply_link_path(contact), {"message": "PL61 1090"}).status_code == 200

    # when
    history = api_as(client_user).get(f"/api/requests/{request_id}/").json()["history"]
    staff_history = api_as(bok_staff).get(f"/api/staff/requests/{request_id}/").json()["history"]

    # then: the reply is named by its address; the stage change after it is the system's, with no name,
    # on the client's side, while staff still read it as the contact's
    reply, stage = history[-2], history[-1]
    assert (reply["kind"], reply["author"], reply["actor_name"]) == ("reply", "client", contact)
    assert (stage["kind"], stage["author"], stage["actor_name"]) == ("stage_changed", "system", "")
    assert (staff_history[-1]["kind"], staff_history[-1]["author"]) == ("stage_changed", "client")
    assert staff_history[-1]["actor_name"] == contact
