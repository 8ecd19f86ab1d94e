"""An invitation the company took back (member removed or suspended) activates nothing (defect 5)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY

from backend.accounts.activation import activation_url
from backend.accounts.models import User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Zielony-Parasol-2026"


def invite(admin_api) -> tuple[dict, str]:
    body = {"email": "usuniety@example.com", "first_name": "Jan", "last_name": "Usunięty", "role": "owner"}
    response = admin_api.post("/api/client/users/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json(), response.json()["activation_code"]


def activate(client, code: str):
    user = User.objects.get(email="usuniety@example.com")
    path = re.sub(r"^https?://[^/]+", "", activation_url(user))
    opened = client.get(path, follow=True)
    form = opened.redirect_chain[-1][0] if opened.redirect_chain else path
    sent = client.post(
        form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "activation_code": code}
    )
    return opened, sent


def assert_nothing_activated(client, opened, sent, words: str) -> None:
    for response in (opened, sent):
        assert response.status_code == 410
        assert words in response.content.decode()
    user = User.objects.get(email="usuniety@example.com")
    assert not user.has_usable_password()
    assert SESSION_KEY not in client.session


def test_the_link_of_a_removed_member_activates_nothing(admin_api, client):
    member, code = invite(admin_api)
    assert admin_api.delete(f"/api/client/users/{member['id']}/").status_code == 204

    opened, sent = activate(client, code)

    assert_nothing_activated(client, opened, sent, "zaproszenie zostało wycofane")


def test_the_link_of_a_suspended_member_activates_nothing_until_resumed(admin_api, client):
    member, code = invite(admin_api)
    assert admin_api.post(f"/api/client/users/{member['id']}/suspend/").status_code == 200

    opened, sent = activate(client, code)

    assert_nothing_activated(client, opened, sent, "administratora firmy o jego przywrócenie")

    # when: resumed, the same link and code work
    assert admin_api.post(f"/api/client/users/{member['id']}/resume/").status_code == 200
    _opened, sent = activate(client, code)
    assert sent.status_code == 302
    assert User.objects.get(email="usuniety@example.com").has_usable_password()
