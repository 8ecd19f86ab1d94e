"""GET /api/contracts/{id}/schedule/ reads the rows in one statement, scoped as the contract is (#18)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import ContractFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def schedule_url(contract) -> str:
    return f"/api/contracts/{contract.pk}/schedule/"


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


def contract_statements(api, url: str):
    """The answer and the statements of the request that touch contracts or their schedules."""
    api.get(url)  # the session's first request stamps it (a write): not the schedule's own work
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    return response, [q["sql"] for q in captured.captured_queries if "contracts_" in q["sql"]]


def test_a_schedule_with_rows_is_one_statement(api, acme_contract):
    response, statements = contract_statements(api, schedule_url(acme_contract))

    assert response.status_code == 200
    assert [row["number"] for row in response.json()] == list(range(1, 37))
    assert len(statements) == 1


def test_a_contract_without_a_schedule_answers_an_empty_one(api, acme):
    contract = ContractFactory(client=acme, schedule=False)

    response, statements = contract_statements(api, schedule_url(contract))

    assert response.status_code == 200
    assert response.json() == []
    assert len(statements) == 2  # the rows, then whether the contract is there for the user


def test_another_clients_contract_without_a_schedule_is_not_found(api, other_company):
    assert api.get(schedule_url(ContractFactory(client=other_company, schedule=False))).status_code == 404


def test_a_limited_user_reads_only_the_schedules_of_its_contracts(acme):
    own, other = ContractFactory(client=acme), ContractFactory(client=acme)
    bare = ContractFactory(client=acme, schedule=False)
    membership = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant", all_contracts=False
    )
    membership.contracts.set([own])
    api = APIClient()
    api.force_login(membership.user)

    assert len(api.get(schedule_url(own)).json()) == 36
    assert api.get(schedule_url(other)).status_code == 404
    assert api.get(schedule_url(bare)).status_code == 404
