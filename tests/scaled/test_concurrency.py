"""Races on PostgreSQL: many threads claim and complete the same tasks at the same moment.

Each thread has its own database connection (as each web process would), and a barrier releases them
together. Exactly one wins each race, the others get 409, and the instance's JSON state is neither
lost nor overwritten: its version moved once per winning step and the process still runs to its end.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from backend.accounts.models import User
from backend.core.exceptions import Conflict
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.factories import UserFactory
from tests.logged_in_clients import api_client_as
from tests.requests_app.helpers import contract_free_for, submission
from workflows import services as workflow_services
from workflows.models import ProcessInstance

pytestmark = pytest.mark.scaled

THREADS = 8
ROUNDS = 3


def race(calls) -> list:
    """Run the callables at once, each in its own thread and connection; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index: int, call) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # collected and inspected by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return results


def statuses(responses) -> Counter:
    return Counter(
        response.status_code if not isinstance(response, Exception) else repr(response)
        for response in responses
    )


@pytest.fixture
def staff_team(transactional_db) -> list[User]:
    return [UserFactory(role=User.Role.STAFF) for _ in range(THREADS)]


def submit(client_user, contract, payment_day: int) -> int:
    contract = contract_free_for("payment_date_change", contract)  # one open per contract
    body = submission(
        "payment_date_change", contract=contract, data={"payment_day": payment_day, "reason": "cash_flow"}
    )
    response = api_client_as(client_user).post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_one_of_many_concurrent_claims_wins(transactional_db, client_user, acme_contract, staff_team):
    for round_number in range(ROUNDS):
        # given: a request waiting for staff, and eight staff members' clients
        request_id = submit(client_user, acme_contract, payment_day=[15, 20, 25][round_number])
        apis = [api_client_as(staff) for staff in staff_team]

        # when: all eight claim it at once
        responses = race(
            [lambda api=api: api.post(f"/api/staff/requests/{request_id}/claim/") for api in apis]
        )

        # then
        assert statuses(responses) == Counter({200: 1, 409: THREADS - 1})
        winner = next(
            staff
            for staff, response in zip(staff_team, responses, strict=True)
            if response.status_code == 200
        )
        losers = [response.json() for response in responses if response.status_code == 409]
        assert {body["code"] for body in losers} == {"task_already_claimed"}
        assert PortalRequest.objects.get(pk=request_id).assignee == winner
        assert RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.CLAIMED).count() == 1
        PortalRequest.objects.filter(pk=request_id).update(status="cancelled")  # free the contract


def test_one_of_many_concurrent_completions_wins_and_state_survives(
    transactional_db, client_user, acme_contract, staff_team
):
    # given: an unclaimed request in review
    request_id = submit(client_user, acme_contract, payment_day=20)
    instance_id = PortalRequest.objects.get(pk=request_id).process_instance_id
    version_before = ProcessInstance.objects.get(pk=instance_id).version
    apis = [api_client_as(staff) for staff in staff_team]

    # when: eight staff members ask the client at the same moment
    responses = race(
        [
            lambda api=api, n=n: api.post(
                f"/api/staff/requests/{request_id}/ask-client/", {"question": f"Pytanie {n}"}, format="json"
            )
            for n, api in enumerate(apis)
        ]
    )

    # then: one question went through, the rest were refused, the state moved exactly one step
    assert statuses(responses) == Counter({200: 1, 409: THREADS - 1})
    assert {response.json()["code"] for response in responses if response.status_code == 409} <= {
        "task_already_claimed",
        "task_not_ready",
        "conflict",
    }
    instance = ProcessInstance.objects.get(pk=instance_id)
    assert instance.version == version_before + 1
    assert instance.waiting_for == ProcessInstance.WaitingFor.CLIENT
    assert instance.current_task_name == "client_reply"
    assert RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.QUESTION).count() == 1

    # when: the client's reply is sent eight times at once (double clicks, several tabs)
    client_apis = [api_client_as(client_user) for _ in range(THREADS)]
    replies = race(
        [
            lambda api=api: api.post(
                f"/api/requests/{request_id}/reply/", {"message": "Odpowiedź"}, format="json"
            )
            for api in client_apis
        ]
    )

    # then: one reply counted, and the instance still runs to its end with the winner's approval
    assert statuses(replies) == Counter({200: 1, 409: THREADS - 1})
    assert RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.REPLY).count() == 1
    winner = PortalRequest.objects.get(pk=request_id).assignee
    approved = api_client_as(winner).post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] in {"approved", "completed"}
    assert ProcessInstance.objects.get(pk=instance_id).version == version_before + 3


def test_engine_level_races_on_one_instance_never_lose_a_step(transactional_db):
    # given: a bare process instance waiting in the staff lane (no request around it)
    instance, _ = workflow_services.start_process(
        process_key="payment_date_change", data={"payment_day": 20, "reason": "cash_flow"}
    )
    state_before = ProcessInstance.objects.get(pk=instance.pk).state

    # when: eight workers complete the same staff task at once
    outcomes = race(
        [
            lambda n=n: workflow_services.complete_task(
                instance_id=instance.pk,
                task_id=None,
                data={"decision": "ask_client", "question": f"Pytanie {n}"},
                lane="Staff",
            )
            for n in range(THREADS)
        ]
    )

    # then: one completion, seven conflicts; the saved state is the winner's, one version later
    winners = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(outcome, Conflict) for outcome in outcomes if isinstance(outcome, Exception)), (
        outcomes
    )
    saved = ProcessInstance.objects.get(pk=instance.pk)
    assert saved.version == 1
    assert saved.state != state_before
    assert saved.state == winners[0][0].state
    assert saved.current_task_name == "client_reply"
    assert connection.vendor == "postgresql"


def test_one_idempotency_key_sent_at_once_makes_one_request(transactional_db, client_user, acme_contract):
    # given: one submit (a kind with one open request per contract) and its key, sent by eight threads at once
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    apis = [api_client_as(client_user) for _ in range(THREADS)]

    # when
    responses = race(
        [
            lambda api=api: api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="once-1")
            for api in apis
        ]
    )

    # then: one created, every other answer is that request (never 400 for the first's open request, no 500)
    assert statuses(responses) == Counter({201: 1, 200: THREADS - 1})
    assert {response.json()["id"] for response in responses} == {PortalRequest.objects.get().pk}
