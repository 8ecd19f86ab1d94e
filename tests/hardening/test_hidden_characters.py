"""Subjects, names and address lines refuse control and invisible formatting characters
(backend/core/text_fields.py); Polish letters and emoji stay allowed. API and pages alike."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, UserFactory
from tests.requests_app.helpers import contact, submission

pytestmark = pytest.mark.django_db

HIDDEN = {
    "right-to-left override": "Faktura \u202efdp.exe",
    "left-to-right isolate": "Faktura \u2066x\u2069",
    "zero-width space": "Fak\u200btura",
    "bell": "Faktura\u0007",
    "escape": "Faktura \u001b[31m",
    "line break": "Faktura\nBcc: x@example.com",
    "C1 control": "Fak\u0085tura",  # a trailing one is trimmed like a space
}
ALLOWED = "Zażółć gęślą jaźń 😀 👩\u200d💻"


def new_thread(api: APIClient, subject: str):
    return api.post(
        "/api/messages/", {"subject": subject, "category": "other", "body": "Treść."}, format="json"
    )


@pytest.mark.parametrize("subject", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_message_subject_with_a_hidden_character_is_refused(api_as, client_user, subject):
    response = new_thread(api_as(client_user), subject)

    assert response.status_code == 400, response.content
    [problem] = response.json()["fields"]["subject"]
    assert "znaki sterujące" in problem


def test_polish_letters_and_emoji_stay_allowed(api_as, client_user):
    response = new_thread(api_as(client_user), ALLOWED)

    assert response.status_code == 201, response.content


def test_the_other_requests_subject_and_the_contact_name_are_checked(api_as, client_user):
    api = api_as(client_user)
    spoofed_subject = submission(
        "other_request", data={"subject": "Polisa \u202eabc", "message": "Kopia\tpolisy."}
    )
    hidden_in_name = submission("other_request", data={"subject": "Polisa", "message": "Kopia."})
    hidden_in_name["contact"] = {**contact(), "name": "Anna\u200b Kowalska"}

    # when
    subject = api.post("/api/requests/", spoofed_subject, format="json")
    name = api.post("/api/requests/", hidden_in_name, format="json")

    # then: a tab in a multi-line text is fine
    assert subject.status_code == 400, subject.content
    assert list(subject.json()["fields"]) == ["data.subject"]
    assert name.status_code == 400, name.content
    assert list(name.json()["fields"]) == ["contact.name"]


def test_an_invited_users_names_are_checked(acme):
    admin = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    api = APIClient()
    api.force_login(admin)

    response = api.post(
        "/api/client/users/",
        {
            "email": "nowa@acme.pl",
            "first_name": "Nowa\u202e",
            "last_name": "Osoba\u0007",
            "role": "owner",
        },
        format="json",
    )

    assert response.status_code == 400, response.content
    assert set(response.json()["fields"]) == {"first_name", "last_name"}


def test_the_new_message_page_shows_the_error_next_to_the_subject(client, client_user):
    client.force_login(client_user)

    response = client.post(
        "/messages/new/", {"subject": "Faktura \u202efdp.exe", "category": "other", "body": "Treść."}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="subject-error"' in html or 'id="id_subject-error"' in html
    assert "Usuń znaki sterujące" in html
