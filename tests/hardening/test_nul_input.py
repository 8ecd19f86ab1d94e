"""The NUL character in a query string is a 400 before any view (backend/core/query_strings.py).

PostgreSQL cannot compare text holding a NUL: a filter or search that passed one on answered 500 there.
This module also runs in the PostgreSQL phase of `make test`.
"""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def people(client_user, bok_staff, analyst, acme) -> list:
    administrator = UserFactory(email="administrator@acme.pl")
    MembershipFactory(user=administrator, client=acme, is_admin=True)
    return [client_user, bok_staff, analyst, administrator]


def _string_query_parameters() -> list[tuple[str, str]]:
    found = []
    for path, operations in SchemaGenerator().get_schema(request=None, public=True)["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if "{" not in path and parameter["in"] == "query" and parameter["schema"].get("type") == "string":
                found.append((path, parameter["name"]))
    return sorted(found)


STRING_QUERY_PARAMETERS = _string_query_parameters()


def test_the_discovery_finds_the_filters_that_failed():
    assert ("/api/workflows/versions/", "process_key") in STRING_QUERY_PARAMETERS
    assert len(STRING_QUERY_PARAMETERS) > 20


@pytest.mark.parametrize(
    ("path", "name"), STRING_QUERY_PARAMETERS, ids=[f"{p} {n}" for p, n in STRING_QUERY_PARAMETERS]
)
def test_a_nul_in_an_api_query_parameter_is_a_400_in_the_error_shape(people, api_as, path, name):
    for person in people:
        response = api_as(person).get(path, {name: "a\x00b"})

        assert response.status_code == 400, (person.email, response.status_code)
        assert response.json() == {
            "code": "bad_request",
            "message": "Nie udało się przetworzyć żądania.",
            "fields": {},
        }


@pytest.mark.parametrize(
    "url",
    [
        "/staff/tasks/?contract=a%00b",
        "/staff/client-users/?q=a%00b",
        "/staff/messages/?client_name=a%00b",
        "/invoices/?number=a%00b",
        "/requests/?contract=a%00b",
        "/?next=%00",
    ],
)
def test_a_nul_in_a_page_query_is_a_400_page(client, people, url):
    for person in people:
        client.force_login(person)

        response = client.get(url)

        assert response.status_code == 400, (person.email, response.status_code)
        assert response["Content-Type"].startswith("text/html")


def test_ordinary_queries_still_answer(client, api_as, bok_staff):
    assert (
        api_as(bok_staff).get("/api/workflows/versions/", {"process_key": "zmiana_dnia"}).status_code == 200
    )
    client.force_login(bok_staff)
    assert client.get("/staff/tasks/?contract=UM%2F2026").status_code == 200
    assert client.get("/staff/client-users/?q=100%25").status_code == 200  # "100%": a percent sign is fine
