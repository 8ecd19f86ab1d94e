"""An activation link opened in a browser logged in as someone else asks first, as the bank's hand-off
does: "you are logged in as …", log out and continue, or stay logged in; it never switches silently."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.accounts.activation import activation_url
from backend.accounts.activation_code import issue_activation_code
from backend.accounts.models import User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Zielony-Parasol-2026"


@pytest.fixture
def newcomer(acme) -> User:
    user = User.objects.create_user("nowa.osoba@acme.pl", role=User.Role.CLIENT)
    MembershipFactory(user=user, client=acme)
    return user


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_logged_in_colleague_is_asked_before_the_switch(client, client_user, newcomer):
    # given: Anna is logged in and opens the link e-mailed to the newcomer
    client.force_login(client_user)
    link = path_of(activation_url(newcomer))

    # when
    page = client.get(link)

    # then: she is told who is logged in and whose account the link activates; nothing changed yet
    assert page.status_code == 200
    body = page.content.decode()
    assert "W tej przeglądarce zalogowano się jako anna.kowalska@acme.pl." in body
    assert "nowa.osoba@acme.pl" in body and 'id="activation-continue"' in body
    assert 'id="activation-cancel"' in body and reverse("home") in body
    assert client.session["_auth_user_id"] == str(client_user.pk)

    # and: posting the password form anyway changes nothing while she is logged in
    code = issue_activation_code(newcomer)
    posted = client.post(
        link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "activation_code": code}
    )
    assert 'id="activation-continue"' in posted.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert client.session["_auth_user_id"] == str(client_user.pk)


def test_log_out_and_continue_leads_to_the_activation_form(client, client_user, newcomer):
    client.force_login(client_user)
    link = path_of(activation_url(newcomer))
    code = issue_activation_code(newcomer)

    # when: she chooses to log out and continue
    continued = client.post(link, {"action": "continue"})

    # then: logged out, the link goes on to its form, which activates the newcomer
    assert continued.status_code == 302 and continued["Location"] == link
    assert "_auth_user_id" not in client.session
    form_url = client.get(link)["Location"]
    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "activation_code": code}
    )
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(newcomer.pk)


def test_an_invalid_link_tells_a_logged_in_user_nothing_about_its_account(client, client_user, newcomer):
    client.force_login(client_user)
    link = path_of(activation_url(newcomer)).rsplit("/", 2)[0] + "/wrong-token/"

    body = client.get(link).content.decode()

    assert "nowa.osoba@acme.pl" not in body and 'id="link-invalid"' in body
