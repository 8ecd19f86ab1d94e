"""Every staff search that matches a client's or a user's name reads their folded keys
(core.text_search.name_key_words), as customer service's client search does: the same words find the same
names everywhere, in any order, and a word typed with Polish letters finds a name stored without them.
The task list's search, the inbox's search and client filter, the activation page and the admin's searches
(SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.messaging.client_writes import start_thread
from tests.admin_walk14.conftest import admin, browser  # noqa: F401  the administrator's browser
from tests.factories import ClientFactory, MembershipFactory, UserFactory
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db

TASKS = "/api/staff/tasks/"
INBOX = "/api/staff/messages/"


@pytest.fixture
def plain():
    """A company and its user whose names were typed into the system without Polish letters, and a
    company that has none of those words."""
    company = ClientFactory(name="Krolewska Piekarnia sp. z o.o.")
    user = UserFactory(first_name="Lukasz", last_name="Zak", email="lukasz.zak@piekarnia.example")
    MembershipFactory(user=user, client=company)
    other = ClientFactory(name="Hurtownia Zachodnia S.A.")
    other_user = UserFactory(first_name="Anna", last_name="Lis")
    MembershipFactory(user=other_user, client=other)
    return {
        "company": company,
        "user": user,
        "request": submit_other_request(user, company, "Pytanie o ratę").pk,
        "other_request": submit_other_request(other_user, other, "Pytanie o polisę").pk,
        "thread": start_thread(
            user=user, client=company, subject="Faktura", category="other", body="Treść", contract=None
        ).pk,
        "other_thread": start_thread(
            user=other_user, client=other, subject="Polisa", category="other", body="Treść", contract=None
        ).pk,
    }


def ids(api, url: str, **params) -> set[int]:
    response = api.get(url, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def sql_of(call) -> str:
    with CaptureQueriesContext(connection) as captured:
        call()
    return "\n".join(query["sql"] for query in captured)


def test_the_task_list_finds_the_client_and_the_submitter_typed_with_polish_letters(api_as, bok_staff, plain):
    api = api_as(bok_staff)
    # the client's name and the submitting user's, each word anywhere in it, in any order
    assert ids(api, TASKS, q="Królewska") == {plain["request"]}
    assert ids(api, TASKS, q="piekarnia KRÓLEWSKA") == {plain["request"]}
    assert ids(api, TASKS, q="Łukasz Żak") == {plain["request"]}
    assert ids(api, TASKS, q="żak łukasz") == {plain["request"]}
    # the words of one name: none from the client's and the other from the user's
    assert ids(api, TASKS, q="Królewska Żak") == set()
    # and the names are read from their stored keys
    sql = sql_of(lambda: api.get(TASKS, {"q": "Łukasz Żak"}))
    assert re.search(r'"clients_client"\."name_key"(::text)? LIKE', sql), sql
    assert re.search(r'"accounts_user"\."name_key"(::text)? LIKE', sql), sql


def test_the_inbox_search_and_client_filter_find_the_client_typed_with_polish_letters(
    api_as, bok_staff, plain
):
    api = api_as(bok_staff)
    assert ids(api, INBOX, q="Królewska") == {plain["thread"]}
    assert ids(api, INBOX, client_name="Królewska piekarnia") == {plain["thread"]}
    assert ids(api, INBOX, client_name="piekarnia krolewska") == {plain["thread"]}
    # the client filter reads the name's key: no REPLACE of every row's name at query time
    sql = sql_of(lambda: api.get(INBOX, {"client_name": "krolewska"}))
    assert re.search(r'"clients_client"\."name_key"(::text)? LIKE', sql), sql
    assert "REPLACE" not in sql.upper(), sql


def test_the_activation_page_finds_the_user_and_the_company_typed_with_polish_letters(
    client, bok_staff, plain
):
    client.force_login(bok_staff)

    def listed(query: str) -> bool:
        response = client.get("/staff/client-users/", {"q": query})
        assert response.status_code == 200
        return plain["user"].email in response.content.decode()

    assert listed("Łukasz Żak")
    assert listed("żak")
    assert listed("Królewska Piekarnia")
    assert not listed("Łukasz Lis")


def test_the_admins_searches_fold_the_typed_words_too(browser, plain):  # noqa: F811
    def listed(url: str, query: str, text: str) -> bool:
        response = browser.get(url, {"q": query})
        assert response.status_code == 200
        return text in response.content.decode()

    # the companies, the users (first and last name, any order) and a list searched by its client's name
    assert listed("/admin/clients/client/", "Królewska", "Krolewska Piekarnia")
    assert not listed("/admin/clients/client/", "Królewska", "Hurtownia Zachodnia")
    assert listed("/admin/accounts/user/", "Żak Łukasz", plain["user"].email)
    requests = "/admin/requests_app/portalrequest/"
    assert listed(requests, "królewska", f"/{plain['request']}/change/")
    assert not listed(requests, "królewska", f"/{plain['other_request']}/change/")
    # and a word typed without Polish letters finds a name stored with them
    ClientFactory(name="Łódzka Spółka S.A.")
    assert listed("/admin/clients/client/", "lodzka spolka", "Łódzka Spółka S.A.")
