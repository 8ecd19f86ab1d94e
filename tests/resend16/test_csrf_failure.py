"""A form posted with a CSRF token the session no longer has (tab A after a login in tab B) meets the
portal's page (portal_ui/csrf_failure.py, CSRF_FAILURE_VIEW): in the user's language, nothing sent, a
link back to the form's page, whose next view carries the note that makes the scripts offer the kept
text; the API keeps its error shape. Django's bare "Forbidden (403) CSRF verification failed" is gone."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from backend.messaging.models import MessageThread
from portal_ui.csrf_failure import csrf_failure
from tests.logged_in_clients import browsing_with_csrf_checks_as

pytestmark = pytest.mark.django_db

FORM = {
    "subject": "Kopia faktury",
    "category": "invoice",
    "body": "Proszę o kopię.",
    "csrfmiddlewaretoken": "x" * 32,
}


@pytest.fixture
def browser(client_user) -> Client:
    return browsing_with_csrf_checks_as(client_user)


def test_a_form_with_an_old_token_gets_the_portal_page_and_sends_nothing(browser):
    response = browser.post("/messages/new/", FORM, HTTP_REFERER="http://testserver/messages/new/?contract=3")

    assert response.status_code == 403
    page = response.content.decode()
    assert "CSRF" not in page and "Forbidden" not in page
    assert 'data-testid="csrf-failure"' in page and 'class="site-header"' in page
    assert "Strona była nieaktualna" in page
    assert "nic nie zostało wysłane" in page
    assert 'href="http://testserver/messages/new/?contract=3" data-testid="csrf-back"' in page
    assert not MessageThread.objects.exists()
    # the form's page, opened next, says the form was not sent (tagged for drafts.js and forms.js)
    form_page = browser.get("/messages/new/").content.decode()
    assert "form-not-sent" in form_page
    assert "Formularz nie został wysłany, ponieważ jego strona była nieaktualna" in form_page


def test_the_page_speaks_the_users_language(browser, client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    page = browser.post("/messages/new/", FORM).content.decode()

    assert "The page was out of date" in page
    assert "nothing was sent" in page


def test_a_referer_of_another_site_leads_home(browser):
    response = browser.post("/messages/new/", FORM, HTTP_REFERER="https://evil.example/messages/new/")

    assert response.status_code == 403
    assert 'href="/" data-testid="csrf-back"' in response.content.decode()


def test_the_login_form_with_an_old_token_gets_the_page_too():
    anonymous = Client(enforce_csrf_checks=True)
    anonymous.get("/login/")
    response = anonymous.post(
        "/login/", {"username": "a@b.pl", "password": "x", "csrfmiddlewaretoken": "y" * 32}
    )

    assert response.status_code == 403
    assert "Strona była nieaktualna" in response.content.decode()


def test_under_api_the_answer_keeps_the_error_shape():
    request = RequestFactory().post("/api/requests/")

    response = csrf_failure(request, reason="CSRF token from POST incorrect.")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["code"] == "csrf_failed"
    assert set(body) == {"code", "message", "fields"}
