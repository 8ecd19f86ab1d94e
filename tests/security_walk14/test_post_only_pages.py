"""A page address that only takes a form, opened with GET (a bookmark, or the login's ?next= after a session
expired while typing): back to the page the form lives on with a note, never the browser's bare 405."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api_http.conftest import assert_error_shape

pytestmark = pytest.mark.django_db

NOTE = "Pod tym adresem można tylko wysłać formularz"


@pytest.mark.parametrize(
    ("address", "form_page"),
    [
        ("/requests/3/reply/", "/requests/3/"),
        ("/requests/3/comment/", "/requests/3/"),
        ("/requests/3/cancel/", "/requests/3/"),
        ("/invoices/4/duplicate/", "/invoices/4/"),
        ("/messages/5/comment/", "/messages/5/"),
        ("/client/switch/", "/"),
        ("/client/users/6/suspend/", "/client/users/6/"),
        ("/account/security/recovery-codes/", "/account/security/"),
    ],
)
def test_a_client_opening_a_form_address_lands_on_the_forms_page(client, client_user, address, form_page):
    # given
    client.force_login(client_user)

    # when
    response = client.get(address)

    # then
    assert response.status_code == 302
    assert response["Location"] == form_page
    assert NOTE in client.get(reverse("home"), follow=True).content.decode()


def test_staff_opening_a_task_action_land_on_the_task(client, bok_staff):
    client.force_login(bok_staff)

    response = client.get("/staff/tasks/7/claim/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/tasks/7/"


def test_after_a_session_expired_the_login_leads_to_the_request_not_to_a_405(client, client_user, password):
    # given: the reply form was sent after the session had ended: the login page remembers where to go
    sent = client.post("/requests/3/reply/", {"message": "Odpowiedź"})
    next_url = sent["Location"]
    assert next_url == f"{reverse('login')}?next=/requests/3/reply/"

    # when: the user logs in again and the browser follows the login's redirect
    logged_in = client.post(next_url, {"username": client_user.email, "password": password}, follow=True)

    # then: the request's own page (404 here: request 3 does not exist), never the bare 405
    assert [status for _url, status in logged_in.redirect_chain][-1] == 302
    assert logged_in.redirect_chain[-1][0] == "/requests/3/"
    assert logged_in.status_code != 405


def test_the_api_keeps_its_json_405(api):
    response = api.get("/api/requests/attachments/")

    assert assert_error_shape(response, 405)["code"] == "method_not_allowed"
