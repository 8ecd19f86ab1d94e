"""Staff task list, claiming, and what happens when two people act on the same task."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from backend.requests_app.models import PortalRequest
from tests.concurrency import run_probe
from tests.requests_app.helpers import submission
from workflows import engine
from workflows.models import ProcessInstance

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


def submit(api, contract, kind="payment_date_change", data=None):
    response = api.post(
        "/api/requests/", submission(kind, contract=contract, data=data or PAYMENT), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.django_db
def test_task_list_filters_and_bounded_queries(
    api_as, client_user, bok_staff, second_staff, acme_contract, django_assert_max_num_queries
):
    # given three requests, one claimed by bok_staff, one by second_staff
    client_api = api_as(client_user)
    first = submit(client_api, acme_contract)
    second = submit(client_api, acme_contract, "other_request", {"subject": "Polisa", "message": "Pytanie"})
    # (one open request of a kind per contract: the third is another contract-changing kind)
    third = submit(client_api, acme_contract, "schedule_change", {"months": 48, "installment_option": "auto"})
    api_as(bok_staff).post(f"/api/staff/requests/{first['id']}/claim/")
    api_as(second_staff).post(f"/api/staff/requests/{third['id']}/claim/")
    staff_api = api_as(bok_staff)

    def ids(**params):
        response = staff_api.get("/api/staff/tasks/", params)
        assert response.status_code == 200
        return [r["id"] for r in response.json()["results"]]

    # then
    assert sorted(ids()) == sorted([first["id"], second["id"], third["id"]])
    assert ids(kind="other_request") == [second["id"]]
    assert ids(assignee="me") == [first["id"]]
    assert ids(assignee="none") == [second["id"]]
    assert ids(assignee=second_staff.pk) == [third["id"]]
    assert len(ids(contract=acme_contract.number[-6:])) == 3
    assert ids(client=acme_contract.client_id + 1000) == []
    assert ids(stage="client_reply") == []
    assert ids(due_before=(timezone.now() - timedelta(days=1)).isoformat()) == []
    assert len(ids(due_before=(timezone.now() + timedelta(days=30)).isoformat())) == 3
    listed = staff_api.get("/api/staff/tasks/").json()["results"][0]
    assert listed["task_id"]
    assert listed["client_name"] == "ACME Logistyka sp. z o.o."

    # and the list costs the same few queries however many tasks there are
    for _ in range(5):
        submit(client_api, acme_contract, "other_request", {"subject": "Polisa", "message": "Pytanie"})
    with django_assert_max_num_queries(8):
        staff_api.get("/api/staff/tasks/")


@pytest.mark.django_db
def test_waiting_for_client_requests_leave_the_staff_list(api_as, client_user, bok_staff, acme_contract):
    # given
    request = submit(api_as(client_user), acme_contract)

    # when
    api_as(bok_staff).post(
        f"/api/staff/requests/{request['id']}/ask-client/", {"question": "Proszę o dokumenty."}, format="json"
    )

    # then
    assert api_as(bok_staff).get("/api/staff/tasks/").json()["results"] == []


@pytest.mark.django_db
def test_second_claim_gets_409_and_unclaim_frees_the_task(
    api_as, client_user, bok_staff, second_staff, acme_contract
):
    # given
    request = submit(api_as(client_user), acme_contract)
    assert api_as(bok_staff).post(f"/api/staff/requests/{request['id']}/claim/").status_code == 200

    # when
    taken = api_as(second_staff).post(f"/api/staff/requests/{request['id']}/claim/")
    complete = api_as(second_staff).post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json")

    # then
    assert taken.status_code == 409
    assert taken.json()["code"] == "task_already_claimed"
    assert "Barbara Obsługa" in taken.json()["message"]
    assert complete.status_code == 409
    assert PortalRequest.objects.get(pk=request["id"]).status == "in_review"

    # when the first one lets go
    assert api_as(second_staff).post(f"/api/staff/requests/{request['id']}/unclaim/").status_code == 409
    assert api_as(bok_staff).post(f"/api/staff/requests/{request['id']}/unclaim/").status_code == 200

    # then the second may take it
    claimed = api_as(second_staff).post(f"/api/staff/requests/{request['id']}/claim/")
    assert claimed.status_code == 200
    assert claimed.json()["assignee"] == second_staff.pk
    detail = api_as(second_staff).get(f"/api/staff/requests/{request['id']}/")
    assert detail.json()["assignee_name"] == "Piotr Zając"


@pytest.mark.django_db
def test_completing_an_already_completed_task_gets_409(api_as, client_user, bok_staff, acme_contract):
    # given both tabs of a staff member show the same task
    request = submit(api_as(client_user), acme_contract)
    staff_api = api_as(bok_staff)
    task_id = staff_api.get(f"/api/staff/requests/{request['id']}/").json()["current_task"]["id"]
    first = staff_api.post(
        f"/api/staff/requests/{request['id']}/ask-client/",
        {"task_id": task_id, "question": "Proszę o dokumenty."},
        format="json",
    )
    assert first.status_code == 200

    # when the second tab sends its decision for the same task
    second = staff_api.post(
        f"/api/staff/requests/{request['id']}/approve/", {"task_id": task_id}, format="json"
    )

    # then
    assert second.status_code == 409
    assert second.json()["code"] == "task_not_ready"
    assert PortalRequest.objects.get(pk=request["id"]).status == "waiting_for_client"


@pytest.mark.django_db
def test_client_replying_twice_gets_409_the_second_time(api_as, client_user, bok_staff, acme_contract):
    # given
    request = submit(api_as(client_user), acme_contract)
    api_as(bok_staff).post(
        f"/api/staff/requests/{request['id']}/ask-client/", {"question": "Proszę o dokumenty."}, format="json"
    )
    client_api = api_as(client_user)
    task_id = client_api.get(f"/api/requests/{request['id']}/").json()["current_task"]["id"]

    # when
    first = client_api.post(
        f"/api/requests/{request['id']}/reply/", {"message": "A", "task_id": task_id}, format="json"
    )
    second = client_api.post(
        f"/api/requests/{request['id']}/reply/", {"message": "B", "task_id": task_id}, format="json"
    )

    # then
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["message"]
    replies = PortalRequest.objects.get(pk=request["id"]).events.filter(kind="reply")
    assert [e.message for e in replies] == ["A"]


@pytest.mark.django_db
def test_stale_instance_version_gives_409_and_keeps_the_last_state(
    api_as, client_user, bok_staff, acme_contract, monkeypatch
):
    # given another writer saves the instance while this step runs (a database without row locks)
    request = submit(api_as(client_user), acme_contract)
    instance = PortalRequest.objects.get(pk=request["id"]).process_instance
    real_complete = engine.complete_user_task

    def complete_while_someone_else_saves(*args, **kwargs):
        result = real_complete(*args, **kwargs)
        ProcessInstance.objects.filter(pk=instance.pk).update(version=instance.version + 7)
        return result

    monkeypatch.setattr(engine, "complete_user_task", complete_while_someone_else_saves)

    # when
    response = api_as(bok_staff).post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    instance.refresh_from_db()
    assert instance.version == 0  # the whole step was rolled back
    assert instance.stage == "staff_review"
    assert PortalRequest.objects.get(pk=request["id"]).status == "in_review"
    acme_contract.refresh_from_db()
    assert acme_contract.payment_day == 10


def test_simultaneous_decisions_replies_and_claims_exactly_one_succeeds(tmp_path):
    """Real threads on a file-based SQLite database (the in-memory test database cannot take two writers)."""
    # given a fresh database file, when a probe submits, then lets two staff decide (reply, claim) at once
    result = run_probe(Path(__file__).with_name("concurrency_probe.py"), tmp_path)

    # then
    assert sorted(result["decisions"]) == [200, 409]
    assert sorted(result["replies"]) == [200, 409]
    assert result["reply_events"] == 1
    assert sorted(result["claims"]) == [200, 409]
