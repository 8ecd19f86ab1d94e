"""Customer service's client search by name: the company's and its users' names are kept folded by the
database (core.text_search.name_key_field: lower-case, Polish letters replaced), whatever writes them, and a
typed word is looked for in that key, with no REPLACE of every row at query time."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.models import Client
from backend.demo.plan import fast_insert
from backend.requests_app.staff_client_search import search_clients_for_staff
from tests.admin17.conftest import user_form
from tests.admin_walk14.conftest import admin, browser  # noqa: F401  the administrator's browser
from tests.factories import ClientFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import browsing_as
from tests.staff_client_page.test_client_search import caller, results  # noqa: F401  the fixture

pytestmark = pytest.mark.django_db


def found(query: str) -> list[tuple[str, list[str]]]:
    return [(match.client.name, match.matches) for match in search_clients_for_staff(query=query)]


def test_the_name_keys_are_computed_by_the_database_and_follow_an_update(caller):  # noqa: F811
    # given
    user = caller.memberships.get().user
    assert caller.name_key == "zolnierczyk transport sp. z o.o."
    assert User.objects.get(pk=user.pk).name_key == "katarzyna krol"
    # when: a queryset update, which no save() nor signal sees
    Client.objects.filter(pk=caller.pk).update(name="ŁĄKA Śląska S.A.")
    User.objects.filter(pk=user.pk).update(first_name="Źdźisław", last_name="Gęś")
    # then
    caller.refresh_from_db()
    user.refresh_from_db()
    assert (caller.name_key, user.name_key) == ("laka slaska s.a.", "zdzislaw ges")
    assert found("laka slaska") == [("ŁĄKA Śląska S.A.", ["nazwa firmy"])]
    assert found("Zdzisław GĘŚ") == [("ŁĄKA Śląska S.A.", ["użytkownik Źdźisław Gęś"])]
    assert found("zolnierczyk transport") == []


def test_rows_of_the_demo_bulk_insert_get_their_name_key():
    # given: the demo seeding inserts clients with plain SQL, the keys left out (backend/demo/plan.py)
    built = ClientFactory.build(name="Hurtownia Żółw sp. z o.o.")
    fields = [field for field in Client._meta.concrete_fields if not field.generated]
    row = {field.attname: getattr(built, field.attname) for field in fields}
    row = {name: value for name, value in row.items() if value is not None}
    row["id"] = 900_003
    # when
    fast_insert(Client, [row], now=timezone.now())
    # then
    assert Client.objects.get(pk=900_003).name_key == "hurtownia zolw sp. z o.o."
    assert found("zolw hurt") == [("Hurtownia Żółw sp. z o.o.", ["nazwa firmy"])]


def test_an_admin_edit_of_a_user_name_moves_the_key(browser, caller):  # noqa: F811
    # given
    user = caller.memberships.get().user
    # when: the administrator corrects the last name on the admin's user page
    response = browser.post(
        f"/admin/accounts/user/{user.pk}/change/", user_form(browser, user, last_name="Żółtowska")
    )
    # then
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).name_key == "katarzyna zoltowska"
    assert found("katarzyna zoltowska") == [(caller.name, ["użytkownik Katarzyna Żółtowska"])]
    assert found("katarzyna krol") == []


def test_the_name_search_reads_the_keys_and_folds_no_row(caller):  # noqa: F811
    # given / when
    with CaptureQueriesContext(connection) as captured:
        matches = search_clients_for_staff(query="zolnierczyk KROL")
    statements = [query["sql"] for query in captured]
    # then: each word in each key, no Polish letter replaced in SQL for every row
    assert matches == []  # the company's name and its user's are two names: each word must match one
    for key in ('"clients_client"."name_key"', '"accounts_user"."name_key"'):  # PostgreSQL adds ::text
        assert any(re.search(re.escape(key) + r"(::text)? LIKE '%", sql) for sql in statements), statements
    assert not any("REPLACE" in sql.upper() for sql in statements), statements


def test_a_word_typed_with_polish_letters_finds_a_name_stored_without_them(bok_staff):
    # given: names typed into the system without Polish letters
    company = ClientFactory(name="Krolewska Piekarnia sp. z o.o.")
    MembershipFactory(client=company, user=UserFactory(first_name="Lukasz", last_name="Zak"))
    staff = browsing_as(bok_staff)
    # when / then
    assert results(staff, "Królewska") == [(company.name, "nazwa firmy")]
    assert results(staff, "Łukasz Żak") == [(company.name, "użytkownik Lukasz Zak")]


@pytest.mark.parametrize("query", ["olnierczyk", "TRANSPORT żołn", "O.O. zolnierczyk"])
def test_each_word_anywhere_in_the_name_whatever_its_case(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == [(caller.name, "nazwa firmy")]


@pytest.mark.parametrize("query", ["zolnierczyk logistyka", "katarzyna nowak", "katarzynakrol"])
def test_a_word_no_name_has_finds_nobody(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == []


def test_wildcards_typed_in_a_name_are_plain_characters(bok_staff):
    # given: "%" and "_" are LIKE's wildcards, "\\" its escape
    percent = ClientFactory(name="Procent 100% sp. z o.o.")
    ClientFactory(name="Procent 1000 sp. z o.o.")
    underscore = ClientFactory(name="Firma A_B S.A.")
    ClientFactory(name="Firma AXB S.A.")
    backslash = ClientFactory(name="Ukośnik A\\B S.A.")
    staff = browsing_as(bok_staff)
    # when / then
    assert results(staff, "100%") == [(percent.name, "nazwa firmy")]
    assert results(staff, "a_b") == [(underscore.name, "nazwa firmy")]
    assert results(staff, "a\\b") == [(backslash.name, "nazwa firmy")]
