"""Searches ignore the case of Polish letters on SQLite as on PostgreSQL (backend/core/text_search.py),
and list date filters read 30.11.2026 in English too. Runs on both databases (test_api* modules)."""

from datetime import date

import pytest

from tests.documents.test_apis import make_document
from tests.factories import ClientFactory
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["Łódź", "łódź", "ŁÓDŹ", "łÓdŹ"])
def test_a_document_title_is_found_whatever_the_case_of_its_polish_letters(api_as, client_user, acme, typed):
    make_document(acme, title="Potwierdzenie salda Łódź")
    make_document(acme, title="Potwierdzenie salda Lodz")

    rows = api_as(client_user).get("/api/documents/", {"title": typed}).json()["results"]

    assert [row["title"] for row in rows] == ["Potwierdzenie salda Łódź"]


@pytest.mark.parametrize("typed", ["przedsiębiorstwo", "PRZEDSIĘBIORSTWO", "Przedsiębiorstwo"])
def test_staff_find_a_task_by_the_client_name_in_any_case(api_as, bok_staff, client_user, typed):
    company = ClientFactory(name="Przedsiębiorstwo Handlowe ŻURAW")
    client_user.memberships.update(client=company)
    submit_other_request(client_user, company)

    rows = api_as(bok_staff).get("/api/staff/tasks/", {"q": typed}).json()["results"]

    assert len(rows) == 1
    assert api_as(bok_staff).get("/api/staff/tasks/", {"q": "żuraw"}).json()["count"] == 1


def test_a_date_filter_reads_the_portals_date_form_in_english_too(api_as, client_user, acme):
    make_document(acme, title="Nowy", issued_on=date(2026, 11, 30))
    make_document(acme, title="Stary", issued_on=date(2026, 1, 1))
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    response = api_as(client_user).get("/api/documents/", {"date_from": "30.11.2026"})

    assert response.status_code == 200, response.content
    assert [row["title"] for row in response.json()["results"]] == ["Nowy"]
