"""Server-side drafts: saved per user and acting client, resumed, size-limited, deleted on a successful send."""

from __future__ import annotations

import pytest

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from backend.drafts.models import Draft
from tests.factories import ClientFactory, MembershipFactory, UserFactory
from tests.requests_app.helpers import all_declarations

pytestmark = pytest.mark.django_db

URL = "/api/drafts/"
KEY = "request:complaint"
ONE = f"{URL}?form_key={KEY}"
TYPED = {"data__subject": "Błędna faktura", "data__message": "Faktura zawiera opłatę spoza umowy."}


def test_a_saved_draft_is_resumed_and_discarded(api_as, client_user):
    api = api_as(client_user)
    assert api.get(ONE).json() == []

    saved = api.put(URL, {"form_key": KEY, "data": TYPED}, format="json")
    assert saved.status_code == 200, saved.json()
    again = {"form_key": KEY, "data": {**TYPED, "data__subject": "Błędna faktura 11/2026"}}
    assert api.put(URL, again, format="json").status_code == 200
    api.put(URL, {"form_key": "message:new", "data": {"subject": "Pytanie"}}, format="json")

    # resuming gives the last save; there is one draft per form
    resumed = api.get(ONE).json()
    assert [d["data"]["data__subject"] for d in resumed] == ["Błędna faktura 11/2026"]
    assert sorted(d["form_key"] for d in api.get(URL).json()) == ["message:new", KEY]

    assert api.delete(ONE).status_code == 204
    assert api.get(ONE).json() == []
    assert [d["form_key"] for d in api.get(URL).json()] == ["message:new"]


def test_another_user_or_another_client_never_reads_the_draft(api_as, client_user, acme, other_client_user):
    api_as(client_user).put(URL, {"form_key": KEY, "data": TYPED}, format="json")

    # another user of the same company
    colleague = UserFactory(email="kolega@acme.pl")
    MembershipFactory(user=colleague, client=acme)
    assert api_as(colleague).get(ONE).json() == []
    assert api_as(colleague).get(URL).json() == []
    # a user of another company
    assert api_as(other_client_user).get(URL).json() == []
    # neither can delete or overwrite it: their writes are their own drafts
    assert api_as(colleague).delete(ONE).status_code == 204
    assert api_as(other_client_user).delete(ONE).status_code == 204
    api_as(other_client_user).put(URL, {"form_key": KEY, "data": {"data__subject": "obcy"}}, format="json")
    assert Draft.objects.get(user=client_user).data == TYPED

    # the same user acting for a second company sees that company's drafts only
    second = ClientFactory(name="Druga Spółka sp. z o.o.")
    MembershipFactory(user=client_user, client=second)
    api = api_as(client_user)
    session = api.session
    session[ACTIVE_CLIENT_SESSION_KEY] = second.pk
    session.save()
    assert api.get(URL).json() == []
    api.put(URL, {"form_key": KEY, "data": {"data__subject": "Inna firma"}}, format="json")
    assert [d["data"] for d in api.get(ONE).json()] == [{"data__subject": "Inna firma"}]
    assert Draft.objects.filter(user=client_user).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"form_key": KEY, "data": {"x": "y" * 10_001}}, "data"),
        ({"form_key": KEY, "data": {f"f{i}": "a" for i in range(61)}}, "data"),
        ({"form_key": KEY, "data": {"f": {"nested": "no"}}}, "data"),
        ({"form_key": KEY, "data": [1, 2]}, "data"),
        ({"form_key": KEY, "data": {f"f{i}": "ż" * 9_000 for i in range(3)}}, "data"),
        ({"data": {}}, "form_key"),
        ({"form_key": "anything-else", "data": {}}, "form_key"),
        ({"form_key": "message:reply:abc", "data": {}}, "form_key"),
    ],
)
def test_refused_drafts_answer_in_the_error_shape(api_as, client_user, body, field):
    response = api_as(client_user).put(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert Draft.objects.count() == 0


def test_an_unknown_form_key_in_the_query_is_refused(api_as, client_user):
    for method in ("get", "delete"):
        response = getattr(api_as(client_user), method)(f"{URL}?form_key=../etc")
        assert response.status_code == 400
        assert "form_key" in response.json()["fields"]


def test_staff_and_anonymous_have_no_drafts(api_as, bok_staff, client):
    assert api_as(bok_staff).put(URL, {"form_key": KEY, "data": TYPED}, format="json").status_code == 403
    assert client.get(URL).status_code in {401, 403}


def test_the_draft_is_deleted_when_the_form_is_sent(client, client_user, password):
    client.force_login(client_user)
    client.put(URL, {"form_key": KEY, "data": TYPED}, content_type="application/json")
    assert Draft.objects.count() == 1
    # a refused send keeps the draft
    refused = client.post("/requests/new/complaint/", {"data__subject": "Tylko temat"})
    assert refused.status_code == 400
    assert Draft.objects.count() == 1
    # a successful send deletes it
    form = {
        "data__subject": TYPED["data__subject"],
        "data__message": TYPED["data__message"],
        "contact__name": "Anna Kowalska",
        "contact__phone": "+48 601 234 567",
        "contact__email": "anna.kowalska@acme.pl",
        **{f"declarations__{code}": "on" for code in all_declarations("complaint")},
    }
    sent = client.post("/requests/new/complaint/", form)
    assert sent.status_code == 302, sent.content.decode()[:2000]
    assert Draft.objects.count() == 0


def test_the_message_draft_is_deleted_when_the_message_is_sent(client, client_user):
    client.force_login(client_user)
    client.put(
        URL, {"form_key": "message:new", "data": {"subject": "Pytanie"}}, content_type="application/json"
    )
    sent = client.post(
        "/messages/new/",
        {"subject": "Pytanie o fakturę", "category": "invoices", "contract_id": "", "body": "Treść pytania."},
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    assert Draft.objects.count() == 0


def test_the_reply_draft_of_a_thread_is_deleted_when_the_comment_is_sent(client, client_user, acme):
    from backend.messaging.client_writes import start_thread

    thread = start_thread(
        user=client_user, client=acme, subject="Pytanie", category="invoices", body="Treść.", contract=None
    )
    key = f"message:reply:{thread.pk}"
    client.force_login(client_user)
    page = client.get(f"/messages/{thread.pk}/").content.decode()
    assert f'data-draft-key="{key}"' in page
    client.put(URL, {"form_key": key, "data": {"body": "Dopisuję"}}, content_type="application/json")
    client.put(URL, {"form_key": "message:new", "data": {"subject": "Inny"}}, content_type="application/json")
    sent = client.post(f"/messages/{thread.pk}/comment/", {"body": "Dopisuję jeszcze jedno."})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    # only that thread's reply draft is gone
    assert list(Draft.objects.values_list("form_key", flat=True)) == ["message:new"]
