"""Customer service's client search by NIP, phone and e-mail: each handle reads stored keys the database
computes (backend/core/number_keys.py, backend/core/text_search.py) through their index, finds what a
caller reads out and says what matched; what no longer matches (a number's start, a fragment from the
middle) is deliberate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.clients.models import Client
from backend.demo.plan import fast_insert
from backend.requests_app.staff_client_search import search_clients_for_staff
from tests.factories import ClientFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import browsing_as
from tests.staff_client_page.test_client_search import caller, results  # noqa: F401  the fixture

pytestmark = pytest.mark.django_db


def found(query: str) -> list[tuple[str, list[str]]]:
    return [(match.client.name, match.matches) for match in search_clients_for_staff(query=query)]


def test_keys_are_computed_by_the_database_and_follow_a_change(caller):  # noqa: F811
    # given
    user = caller.memberships.get().user
    # when
    caller.phone = "+48 (61) 700-80-90"
    caller.email = "Sekretariat@Zolnierczyk.PL"
    caller.save()
    # then
    caller.refresh_from_db()
    user.refresh_from_db()
    assert caller.phone_key == "09080071684"
    assert (caller.email_key, caller.email_domain_key) == ("sekretariat@zolnierczyk.pl", "zolnierczyk.pl")
    assert user.phone_key == "765432106"
    assert found("61 700 80 90") == [(caller.name, ["telefon firmy"])]
    assert found("22 333 44 55") == []


def test_rows_of_the_demo_bulk_insert_get_their_keys():
    # given: the demo seeding inserts clients with plain SQL, the keys left out (backend/demo/plan.py)
    built = ClientFactory.build(name="Hurtowa S.A.", phone="0048 58 111 22 33", email="Hurt@Hurtowa.pl")
    fields = [field for field in Client._meta.concrete_fields if not field.generated]
    row = {field.attname: getattr(built, field.attname) for field in fields}
    row = {name: value for name, value in row.items() if value is not None}
    row["id"] = 900_002
    # when
    fast_insert(Client, [row], now=timezone.now())
    # then
    assert found("+48 58 111 22 33") == [("Hurtowa S.A.", ["telefon firmy"])]
    assert found("hurt@hurtowa.pl") == [("Hurtowa S.A.", ["e-mail firmy"])]


@pytest.mark.parametrize("query", ["333 44 55", "22 333 44 55", "+48 22 333-44-55", "0048 (22) 333 44 55"])
def test_company_phone_by_its_end(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == [(caller.name, "telefon firmy")]


@pytest.mark.parametrize("query", ["601 234 567", "+48 601 234 567", "0048601234567"])
def test_user_phone_by_its_end(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == [
        (caller.name, "telefon użytkownika katarzyna.krol@firma.pl")
    ]


def test_a_phone_stored_with_the_country_code_is_found_by_nine_digits(bok_staff, caller):  # noqa: F811
    # given
    company = ClientFactory(name="Kierunkowa sp. z o.o.", phone="0048600100200")
    # when / then
    assert results(browsing_as(bok_staff), "600 100 200") == [(company.name, "telefon firmy")]
    assert results(browsing_as(bok_staff), "+48 600 100 200") == [(company.name, "telefon firmy")]


@pytest.mark.parametrize("query", ["601 234", "22 333", "3334"])
def test_the_start_or_middle_of_a_phone_or_under_six_digits_finds_nobody(bok_staff, caller, query):  # noqa: F811
    # A caller reads out the number they call from; its start alone is the exchange of half the country.
    assert results(browsing_as(bok_staff), query) == []


def test_nip_by_its_start(bok_staff, caller):  # noqa: F811
    nip = caller.nip
    for query in (nip, nip[:8], f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}", f"PL {nip[:3]} {nip[3:6]}"):
        found_here = results(browsing_as(bok_staff), query)
        assert [name for name, _ in found_here] == [caller.name], query
        assert found_here[0][1].startswith("NIP "), query


def test_digits_from_the_middle_of_a_nip_find_nobody(bok_staff, caller):  # noqa: F811
    assert results(browsing_as(bok_staff), caller.nip[3:9]) == []


@pytest.mark.parametrize(
    "query", ["biuro@zolnierczyk.pl", "BIURO@Zolnierczyk.PL", "biuro@zol", "@zolnierczyk.pl"]
)
def test_company_e_mail_by_its_start_or_its_domain(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == [(caller.name, "e-mail firmy")]


@pytest.mark.parametrize("query", ["katarzyna.krol@", "Katarzyna.Krol@Firma.pl", "katarzyna.k"])
def test_user_e_mail_by_its_start(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == [(caller.name, "użytkownik Katarzyna Król")]


def test_a_domain_finds_its_companies_and_users(bok_staff, caller):  # noqa: F811
    # given: the other company's address is biuro…@firma.pl (tests/factories.py), the caller's user's too
    staff = browsing_as(bok_staff)
    # when / then
    assert results(staff, "zolnierczyk.pl") == [(caller.name, "e-mail firmy")]
    assert results(staff, "@firma.pl") == [
        ("Inna Firma S.A.", "e-mail firmy"),
        (caller.name, "użytkownik Katarzyna Król"),
    ]


@pytest.mark.parametrize("query", ["krol@firma", "zolnierczyk.p@", "rzyna.krol@firma.pl"])
def test_a_fragment_from_the_middle_of_an_address_finds_nobody(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == []


def test_wildcards_typed_in_an_address_are_plain_characters(bok_staff):
    # given: "_" is LIKE's one-character wildcard, "*" and "?" GLOB's
    exact = ClientFactory(name="Podkreślnik sp. z o.o.")
    MembershipFactory(client=exact, user=UserFactory(email="jan_nowak@firma.pl", first_name="Jan"))
    other = ClientFactory(name="Inny Jan sp. z o.o.")
    MembershipFactory(client=other, user=UserFactory(email="janxnowak@firma.pl", first_name="Jan"))
    # when / then
    assert [name for name, _ in results(browsing_as(bok_staff), "jan_nowak@")] == [exact.name]
    assert results(browsing_as(bok_staff), "jan*nowak@") == []
    assert results(browsing_as(bok_staff), "jan?nowak@") == []


def _plans(query: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        search_clients_for_staff(query=query)
    plans = []
    with connection.cursor() as cursor:
        for statement in captured:
            cursor.execute("EXPLAIN QUERY PLAN " + statement["sql"])
            plans.append(" | ".join(str(row[-1]) for row in cursor.fetchall()))
    return plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan; PostgreSQL's: pattern ops")
@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        (
            "+48 601 234 567",
            ["client_phone_key", "user_phone_key", "client_nip_prefix", "client_regon_prefix"],
        ),
        ("PL 123-456-32-18", ["client_nip_prefix", "client_regon_prefix", "client_phone_key"]),
        ("katarzyna.krol@firma.pl", ["client_email_key", "user_email_key"]),
        ("@firma.pl", ["client_email_domain_key", "user_email_domain_key"]),
    ],
)
def test_each_handle_reads_its_index_not_every_client_or_user(caller, query, indexes):  # noqa: F811
    # given / when
    plans = _plans(query)
    joined = " ".join(plans)
    # then: ranges of the keys' indexes, no scan of the clients or users
    for index in indexes:
        assert f"USING INDEX {index} " in joined, plans
    assert "SCAN clients_client" not in joined, plans
    assert "SCAN accounts_user" not in joined, plans


def test_a_search_that_finds_nobody_says_how_each_handle_is_searched(client, bok_staff):
    # "22 765", the start of a phone number, finds nobody: the page says a phone is found by its end
    client.force_login(bok_staff)

    page = client.get("/staff/clients/", {"q": "22 765"}).content.decode()

    assert "Żaden klient nie pasuje." in page
    assert "telefon: co najmniej 6 ostatnich cyfr (z +48 lub bez)" in page
    assert "NIP i REGON: w całości lub od początku" in page
    assert "e-mail: od początku albo domena (firma.pl)" in page
