"""Authentication as an API client meets it: 401 without a session, 403 for what a user may not do, the
CSRF refusal in the user's words, and the documentation that says how to log in and choose a company."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api_http.conftest import assert_error_shape
from tests.factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/invoices/"),
        ("post", "/api/requests/"),
        ("get", "/api/staff/tasks/"),
        ("get", "/api/notices/"),
    ],
)
def test_a_call_without_a_session_is_401_with_its_challenge(method, path):
    response = getattr(APIClient(), method)(path, {}, format="json")

    body = assert_error_shape(response, 401)
    assert body["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Session"


def test_a_logged_in_user_in_another_roles_area_is_403_in_polish(api):
    response = api.get("/api/staff/tasks/")

    body = assert_error_shape(response, 403)
    assert body["code"] == "permission_denied"
    assert body["message"] == "Ta część portalu jest przeznaczona dla pracowników leasingodawcy."
    assert "WWW-Authenticate" not in response


def test_staff_in_the_client_area_read_a_polish_refusal(api_as, bok_staff):
    body = assert_error_shape(api_as(bok_staff).get("/api/invoices/"), 403)
    assert body["message"] == "Ta część portalu jest przeznaczona dla użytkowników klienta."


@pytest.mark.parametrize("token", [None, "bad", "b" * 32])
def test_a_missing_or_wrong_csrf_token_is_csrf_failed_without_internals(csrf_api, token):
    csrf_api.cookies["csrftoken"] = "a" * 32
    headers = {} if token is None else {"HTTP_X_CSRFTOKEN": token}

    response = csrf_api.post("/api/notices/read-all/", {}, format="json", **headers)

    body = assert_error_shape(response, 403)
    assert body["code"] == "csrf_failed"
    assert body["message"] == (
        "Brak tokenu bezpieczeństwa sesji albo jest on nieaktualny. Odśwież stronę i spróbuj ponownie."
    )


def test_the_csrftoken_cookie_in_the_header_passes(csrf_api):
    csrf_api.cookies["csrftoken"] = "a" * 32

    response = csrf_api.post("/api/notices/read-all/", {}, format="json", HTTP_X_CSRFTOKEN="a" * 32)

    assert response.status_code == 200


def test_the_docs_say_how_to_log_in_send_the_csrf_token_and_choose_the_company(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    guide = schema["info"]["description"]
    for needed in (
        "/login/",
        "/login/code/",
        "sessionid",
        "X-CSRFToken",
        "csrftoken",
        "/api/client/companies/",
    ):
        assert needed in guide, needed
    assert schema["components"]["securitySchemes"]["cookieAuth"]["in"] == "cookie"
    assert "X-CSRFToken" in schema["components"]["securitySchemes"]["cookieAuth"]["description"]
    invoices = schema["paths"]["/api/invoices/"]["get"]
    assert invoices["security"] == [{"cookieAuth": []}]
    assert "not_authenticated" in invoices["responses"]["401"]["description"]
    assert "csrf_failed" in invoices["responses"]["403"]["description"]
    assert api.get("/api/docs/").status_code == 200


@pytest.fixture
def second_company(client_user):
    company = ClientFactory(name="Zeta Transport sp. z o.o.")
    MembershipFactory(user=client_user, client=company)
    return company


def test_a_user_of_two_companies_lists_them_and_switches_through_the_api(api, acme, second_company):
    listed = api.get("/api/client/companies/").json()
    assert listed == [
        {"id": acme.pk, "name": acme.name, "is_active": True},
        {"id": second_company.pk, "name": second_company.name, "is_active": False},
    ]

    switched = api.post("/api/client/companies/switch/", {"client_id": second_company.pk}, format="json")

    assert switched.status_code == 200
    assert [company["is_active"] for company in switched.json()] == [False, True]
    # The session remembers it: the next calls answer for the other company.
    assert api.get("/api/client/").json()["name"] == second_company.name


def test_switching_to_a_company_the_user_is_not_a_member_of_is_not_found(api, acme, other_company):
    response = api.post("/api/client/companies/switch/", {"client_id": other_company.pk}, format="json")

    assert assert_error_shape(response, 404)["code"] == "not_found"
    assert api.get("/api/client/").json()["name"] == acme.name


def test_a_suspended_membership_is_no_company_to_switch_to(api, client_user, acme, second_company):
    membership = client_user.memberships.get(client=second_company)
    membership.status = membership.Status.SUSPENDED
    membership.save(update_fields=["status"])

    response = api.post("/api/client/companies/switch/", {"client_id": second_company.pk}, format="json")

    assert assert_error_shape(response, 404)["code"] == "not_found"
    assert [company["id"] for company in api.get("/api/client/companies/").json()] == [acme.pk]


def test_the_switch_needs_a_client_id(api):
    body = assert_error_shape(api.post("/api/client/companies/switch/", {}, format="json"), 400)
    assert "client_id" in body["fields"]


IDLE_PL = "Sesja wygasła z powodu braku aktywności. Zaloguj się ponownie."
ENDED_PL = (
    "Sesja została zakończona: nastąpiło wylogowanie w innym oknie lub na innym urządzeniu, zmiana hasła "
    "albo wyłączenie konta. Zaloguj się ponownie."
)


@pytest.mark.parametrize(
    ("how", "says"), [("idle", IDLE_PL), ("ended_elsewhere", ENDED_PL), ("account_switched_off", ENDED_PL)]
)
def test_a_call_with_a_session_that_ended_is_401_session_expired_saying_why(client_user, how, says):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    api = APIClient()
    api.force_login(client_user)
    assert api.get("/api/notices/unread-count/").status_code == 200
    # given the session ended while the client held its cookie: idle past its expiry, or logged out elsewhere
    # or its account switched off (the session row stays; the login page tells it as ended too)
    if how == "idle":
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    elif how == "ended_elsewhere":
        Session.objects.all().delete()
    else:
        client_user.is_active = False
        client_user.save(update_fields=["is_active"])

    response = api.get("/api/notices/unread-count/")

    body = assert_error_shape(response, 401)
    assert body["code"] == "session_expired"
    assert body["message"] == says
    assert response["WWW-Authenticate"] == "Session"


def test_a_call_after_logging_out_of_the_page_says_so_in_the_users_language(client_user):
    # a script of a tab still open calls the API after the user logged out in another tab of this browser:
    # it was told "your session has expired", which it had not
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    api = APIClient()
    api.force_login(client_user)
    api.post("/logout/")

    response = api.get("/api/notices/unread-count/")

    body = assert_error_shape(response, 401)
    assert body["code"] == "session_expired"
    assert body["message"] == "You logged out of the portal in this browser. Please log in again."


def test_a_live_session_without_a_user_is_still_not_authenticated(client_user):
    # the password page's session before the code, or a visitor's: a session, but never logged in
    api = APIClient()
    session = api.session
    session["anything"] = 1
    session.save()
    api.cookies["sessionid"] = session.session_key

    body = assert_error_shape(api.get("/api/notices/unread-count/"), 401)
    assert body["code"] == "not_authenticated"
