"""A form sent after the session had expired: the login leads back to its page, which says the session had
expired and nothing was sent (tagged for the scripts that offer the typed text back), once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPIRED = "Sesja wygasła, więc formularz nie został wysłany."
POST_ONLY = "Pod tym adresem można tylko wysłać formularz"


def test_a_reject_sent_into_an_expired_session_comes_back_saying_the_session_expired(client, bok_staff):
    # given: the reject form sent after the session had ended lands on the login page
    sent = client.post("/staff/tasks/7/reject/", {"reason": "Brak dokumentów."})
    assert sent["Location"] == f"{reverse('login')}?next=/staff/tasks/7/reject/"

    # when: the user logs in again and the browser follows the login to that address
    client.force_login(bok_staff)
    back = client.get("/staff/tasks/7/reject/")

    # then: the task's page, with a note that the session had expired and nothing was sent
    assert back.status_code == 302
    assert back["Location"] == "/staff/tasks/7/"
    page = client.get(reverse("home"), follow=True).content.decode()
    assert EXPIRED in page
    assert "form-not-sent" in page
    assert POST_ONLY not in page


def test_an_invitation_sent_into_an_expired_session_says_it_was_not_sent(client, acme):
    admin = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    client.post("/client/users/", {"email": "flota@acme.pl", "first_name": "Fryderyk"})

    client.force_login(admin)
    page = client.get("/client/users/")

    # the invitation's page itself says it (the form posts to its own page: no 405 in between) ...
    assert page.status_code == 200
    html = page.content.decode()
    assert EXPIRED in html
    assert 'class="message form-not-sent info"' in html
    # ... once: a later visit says nothing
    assert EXPIRED not in client.get("/client/users/").content.decode()


def test_an_address_opened_without_an_expired_send_keeps_the_plain_note(client, bok_staff):
    client.force_login(bok_staff)

    client.get("/staff/tasks/7/reject/")

    page = client.get(reverse("home"), follow=True).content.decode()
    assert POST_ONLY in page
    assert EXPIRED not in page
