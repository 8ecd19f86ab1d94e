"""The staff task list's search and lists as an API client meets them: Polish letters typed or not, the
client's NIP, the scope and a stage the client works at (SQLite and, in the scaled phase, PostgreSQL)."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

from backend.requests_app import decisions
from tests.factories import ClientFactory, MembershipFactory, UserFactory
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db

TASKS = "/api/staff/tasks/"


@pytest.fixture
def world(bok_staff):
    """Requests of "Pawłowski" (NIP 8190396033) about a yellow plate, and of a company written plainly."""
    pawlowski = ClientFactory(name="Transport Pawłowski sp. z o.o.", nip="8190396033")
    plain = ClientFactory(name="Zolta Flota S.A.")
    requests = {}
    for key, company, subject in (
        ("yellow", pawlowski, "Żółta tablica rejestracyjna"),
        ("other", pawlowski, "Polisa"),
        ("plain", plain, "Zolta naklejka"),
    ):
        user = UserFactory()
        MembershipFactory(user=user, client=company)
        requests[key] = submit_other_request(user, company, subject).pk
    return requests


def ids(api, **params) -> set[int]:
    response = api.get(TASKS, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_a_search_without_polish_letters_finds_the_names_and_subjects_written_with_them(
    api_as, bok_staff, world
):
    api = api_as(bok_staff)
    assert ids(api, q="pawlowski") == {world["yellow"], world["other"]}
    assert ids(api, q="PAWLOWSKI") == {world["yellow"], world["other"]}
    assert ids(api, q="Pawłowski") == {world["yellow"], world["other"]}
    # typed without them: both spellings; typed with them: a subject only theirs, a client's name (its
    # folded key, core.text_search.name_key_words) both ("Zolta Flota S.A.")
    assert ids(api, q="zolta") == {world["yellow"], world["plain"]}
    assert ids(api, q="żółta") == {world["yellow"], world["plain"]}
    assert ids(api, q="ŻÓŁTA") == {world["yellow"], world["plain"]}
    assert ids(api, q="Żółta tablica") == {world["yellow"]}
    assert ids(api, q="żółta naklejka") == set()  # the subject "Zolta naklejka"
    # the NIP, as digits or written with dashes
    assert ids(api, q="819-039-60-33") == {world["yellow"], world["other"]}


def test_the_api_takes_the_lists_scope_and_a_client_side_stage_finds_the_requests_waiting_for_the_client(
    api_as, bok_staff, world
):
    # given: staff asked the client about the yellow plate
    decisions.decide_request(
        actor=bok_staff, request_id=world["yellow"], decision="ask_client", question="Proszę o skan."
    )
    api = api_as(bok_staff)

    # then
    assert ids(api) == {world["other"], world["plain"]}
    assert ids(api, scope="client") == {world["yellow"]}
    assert ids(api, scope="open") == set(world.values())
    assert ids(api, scope="staff") == {world["other"], world["plain"]}
    assert ids(api, stage="client_reply") == {world["yellow"]}
    assert ids(api, stage="client_reply", scope="open") == {world["yellow"]}
    assert ids(api, stage="staff_review", scope="open") == {world["other"], world["plain"]}
    refused = api.get(TASKS, {"scope": "everything"})
    assert refused.status_code == 400 and "scope" in refused.json()["fields"]


def test_the_schema_documents_the_scope(tmp_path):
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))
    schema = yaml.safe_load((tmp_path / "schema.yml").read_text())
    parameters = {p["name"]: p for p in schema["paths"][TASKS]["get"]["parameters"]}
    assert sorted(parameters["scope"]["schema"]["enum"]) == ["client", "closed", "open", "staff"]
