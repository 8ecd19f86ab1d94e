"""A failing step is rolled back and recorded as an incident; the API answers JSON, the pages a notice;
the timer sweep backs off failing instances and never lets them block healthy ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as PageClient
from django.utils import timezone, translation

from backend.requests_app.models import PortalRequest
from backend.requests_app.timers import sweep_due_timers
from tests.requests_app.helpers import contract_free_for, submission
from tests.workflows_deploy.test_deploy_refusals import (
    PAYMENT_XML,
    XSI,
    before_staff_review,
    insert_in_staff_lane,
    script_task,
)
from workflows import engine, service_tasks
from workflows.incidents import retry_at_next_sweep
from workflows.models import Incident, ProcessInstance
from workflows.services import deploy_bpmn_version

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}
NOTICE_PL = "Wniosek jest w trakcie obsługi"


def submit(api, contract) -> dict:
    contract = contract_free_for("payment_date_change", contract)
    response = api.post(
        "/api/requests/", submission("payment_date_change", contract=contract, data=PAYMENT), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def ask_client(api, request_id: int) -> None:
    response = api.post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    assert response.status_code == 200, response.json()


def page(user, url: str) -> str:
    browser = PageClient()
    browser.force_login(user)
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --------------------------------------------------------------------------------------------------
# User steps


def test_raising_service_task_is_an_incident_answered_as_json(
    api_as, client_user, bok_staff, acme_contract, monkeypatch
):
    # given a request in review and a decision-document service that fails
    request = submit(api_as(client_user), acme_contract)

    def crash(params, data):
        raise RuntimeError("printer on fire")

    monkeypatch.setitem(service_tasks._registry, "generate_decision_document", crash)
    staff_api = api_as(bok_staff)
    staff_api.raise_request_exception = False

    # when staff approve twice
    first = staff_api.post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json")
    second = staff_api.post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json")

    # then each answer is the incident in the error shape, in Polish, without internals
    for response in (first, second):
        assert response.status_code == 409
        body = response.json()
        assert set(body) == {"code", "message", "fields"}
        assert body["code"] == "workflow_incident"
        assert NOTICE_PL in body["message"]
        assert "printer" not in body["message"]
    # the step was rolled back and the incident counts both attempts
    acme_contract.refresh_from_db()
    assert acme_contract.payment_day == 10
    portal_request = PortalRequest.objects.select_related("process_instance").get(pk=request["id"])
    assert portal_request.status == "in_review"
    assert portal_request.process_instance.incident_state == "open"
    incident = Incident.objects.get()
    assert incident.instance_id == portal_request.process_instance_id
    assert (incident.action, incident.element_id, incident.error_class) == (
        "approve",
        "issue_decision_document",
        "builtins.RuntimeError",
    )
    assert "printer on fire" in incident.message
    assert (incident.attempts, incident.status) == (2, "open")
    assert incident.first_failed_at <= incident.last_failed_at

    # staff see the incident on the task list and the request; the client sees only that work goes on
    assert "Incydent" in page(bok_staff, "/staff/tasks/")
    assert 'id="request-incident"' in page(bok_staff, f"/staff/tasks/{request['id']}/")
    client_html = page(client_user, f"/requests/{request['id']}/")
    assert NOTICE_PL in client_html
    assert "printer" not in client_html and "RuntimeError" not in client_html

    # when the service works again the step succeeds and the incident is resolved
    monkeypatch.undo()
    assert (
        staff_api.post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json").status_code == 200
    )
    incident.refresh_from_db()
    assert incident.status == "resolved"
    assert "Incydent" not in page(bok_staff, f"/staff/tasks/{request['id']}/")


def test_failing_step_from_the_staff_page_shows_a_message_not_a_server_error(
    client_user, bok_staff, api_as, acme_contract, monkeypatch
):
    request = submit(api_as(client_user), acme_contract)
    monkeypatch.setitem(service_tasks._registry, "apply_payment_date_change", lambda params, data: 1 / 0)
    browser = PageClient(raise_request_exception=False)
    browser.force_login(bok_staff)

    response = browser.post(f"/staff/tasks/{request['id']}/approve/", {"answer": ""}, follow=True)

    assert response.status_code in {200, 400, 409}
    assert NOTICE_PL in response.content.decode()
    assert Incident.objects.get().element_id == "apply_change"


def test_script_failing_at_submit_answers_json_and_records_an_incident(api_as, client_user, acme_contract):
    # given a deployed version whose script fails on the real data (it passes every static check, and the
    # test run's data, request_id 0, does not reach the failing branch)
    xml = before_staff_review(PAYMENT_XML, script_task("amount = int(kind) if request_id else 0"), "prepare")
    version = deploy_bpmn_version(xml=xml)
    api = api_as(client_user)
    api.raise_request_exception = False

    # when
    response = api.post(
        "/api/requests/",
        submission("payment_date_change", contract=acme_contract, data=PAYMENT),
        format="json",
    )

    # then nothing was created; the failure is recorded against the version's element
    assert response.status_code == 409
    assert response.json()["code"] == "workflow_incident"
    assert not PortalRequest.objects.exists()
    incident = Incident.objects.get()
    assert (incident.instance, incident.process_version, incident.element_id, incident.action) == (
        None,
        version,
        "prepare",
        "start",
    )
    assert incident.error_class == "workflows.engine.WorkflowError"


def test_step_budget_stops_an_automatic_loop_naming_an_element_of_it():
    loop = (
        script_task("counter = 1", "loop_script").replace(
            "<bpmn:incoming>flow_submitted</bpmn:incoming>",
            "<bpmn:incoming>flow_submitted</bpmn:incoming><bpmn:incoming>flow_again</bpmn:incoming>",
        )
        + '<bpmn:exclusiveGateway id="loop_gateway" default="flow_on"><bpmn:incoming>flow_loop_script'
        "</bpmn:incoming><bpmn:outgoing>flow_again</bpmn:outgoing><bpmn:outgoing>flow_on</bpmn:outgoing>"
        "</bpmn:exclusiveGateway>"
        '<bpmn:sequenceFlow id="flow_loop_script" sourceRef="loop_script" targetRef="loop_gateway" />'
        '<bpmn:sequenceFlow id="flow_again" sourceRef="loop_gateway" targetRef="loop_script">'
        f"<bpmn:conditionExpression {XSI}>counter &gt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>"
        '<bpmn:sequenceFlow id="flow_on" sourceRef="loop_gateway" targetRef="staff_review" />'
    )
    xml = insert_in_staff_lane(PAYMENT_XML, "loop_script").replace(
        'targetRef="staff_review" />', 'targetRef="loop_script" />', 1
    )
    xml = xml.replace("</bpmn:laneSet>", f"</bpmn:laneSet>\n    {loop}", 1)
    process = engine.parse_bpmn(xml)  # loads (old versions are not re-checked), but cannot run away

    with pytest.raises(engine.StepBudgetExceeded) as caught:
        engine.start_instance(process, data={"request_id": 1, "kind": "payment_date_change"})

    assert caught.value.element_id in {"loop_script", "loop_gateway"}


# --------------------------------------------------------------------------------------------------
# Timers


def failing_reminder_for(*request_ids: int):
    original = service_tasks._registry["send_client_reminder"]

    def reminder(params, data):
        if data.get("request_id") in request_ids:
            raise RuntimeError("mail server down")
        return original(params, data)

    return reminder


def test_failing_timer_step_backs_off_exponentially_then_opens_an_incident(
    api_as, client_user, bok_staff, acme_contract, monkeypatch, settings
):
    settings.WORKFLOW_TIMER_MAX_ATTEMPTS = 3
    settings.WORKFLOW_TIMER_RETRY_BASE_SECONDS = 60
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request = submit(api_as(client_user), acme_contract)
        ask_client(api_as(bok_staff), request["id"])
        monkeypatch.setitem(
            service_tasks._registry, "send_client_reminder", failing_reminder_for(request["id"])
        )
        instance = PortalRequest.objects.get(pk=request["id"]).process_instance
        version_before = instance.version
        traveller.shift(timedelta(days=14, seconds=1))

        # when the reminder is due and fails
        assert sweep_due_timers() == 0

        # then the step is rolled back and retried after the base delay, not before
        incident = Incident.objects.get()
        assert (incident.element_id, incident.attempts, incident.status) == ("send_reminder", 1, "retrying")
        assert incident.next_retry_at == timezone.now() + timedelta(seconds=60)
        instance.refresh_from_db()
        assert (instance.stage, instance.version, instance.incident_state) == (
            "client_reply",
            version_before,
            "retrying",
        )
        assert sweep_due_timers() == 0
        incident.refresh_from_db()
        assert incident.attempts == 1

        # when the back-off has passed it is retried, and the next wait doubles
        traveller.shift(timedelta(seconds=61))
        sweep_due_timers()
        incident.refresh_from_db()
        assert (incident.attempts, incident.status) == (2, "retrying")
        assert incident.next_retry_at == timezone.now() + timedelta(seconds=120)
        traveller.shift(timedelta(seconds=60))
        sweep_due_timers()
        incident.refresh_from_db()
        assert incident.attempts == 2  # still waiting out the doubled delay

        # when the last attempt fails the incident opens and the sweep leaves the instance alone
        traveller.shift(timedelta(seconds=61))
        sweep_due_timers()
        incident.refresh_from_db()
        assert (incident.attempts, incident.status, incident.next_retry_at) == (3, "open", None)
        traveller.shift(timedelta(days=1))
        sweep_due_timers()
        incident.refresh_from_db()
        assert incident.attempts == 3
        instance.refresh_from_db()
        assert (instance.incident_state, instance.version) == ("open", version_before)
        assert PortalRequest.objects.get(pk=request["id"]).status == "waiting_for_client"

        # when the cause is fixed and an administrator asks for one more attempt, the reminder goes out
        monkeypatch.undo()
        assert retry_at_next_sweep(instance.pk) is True
        assert sweep_due_timers() == 1
        incident.refresh_from_db()
        instance.refresh_from_db()
        assert (incident.status, instance.incident_state) == ("resolved", "")
        assert instance.version == version_before + 1


def test_failing_instance_at_the_head_of_the_batch_does_not_block_healthy_ones(
    api_as, client_user, bok_staff, acme_contract, monkeypatch
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given two requests waiting for the client; the first one's reminder fails, and it is due first
        staff_api = api_as(bok_staff)
        failing = submit(api_as(client_user), acme_contract)
        ask_client(staff_api, failing["id"])
        traveller.shift(timedelta(minutes=5))
        healthy = submit(api_as(client_user), acme_contract)
        ask_client(staff_api, healthy["id"])
        monkeypatch.setitem(
            service_tasks._registry, "send_client_reminder", failing_reminder_for(failing["id"])
        )
        traveller.shift(timedelta(days=14, minutes=1))
        due = ProcessInstance.objects.filter(next_timer_due__lte=timezone.now()).order_by("next_timer_due")
        assert [i.portal_request.pk for i in due] == [failing["id"], healthy["id"]]

        # when a sweep with room for one instance meets the failing one first
        assert sweep_due_timers(limit=1) == 0

        # and its back-off passes while the healthy one is still due
        traveller.shift(timedelta(minutes=2))
        assert sweep_due_timers(limit=1) == 1

        # then the healthy instance was served before the failing one was retried
        healthy_instance = PortalRequest.objects.get(pk=healthy["id"]).process_instance
        assert healthy_instance.next_timer_due > timezone.now()
        assert Incident.objects.get().attempts == 1

        # and a full sweep retries the failing one without stopping
        assert sweep_due_timers() == 0
        assert Incident.objects.get().attempts == 2


def test_a_timer_that_reaches_an_outcome_the_request_refuses_opens_a_readable_incident_at_once(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    from tests.workflows.test_services import store_untested_version
    from workflows import versioning

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given a version stored before deploy refused it: its 30-day cancel ends `approved`
        bad = store_untested_version(
            PAYMENT_XML.replace(
                '<spiffworkflow:property name="outcome" value="cancelled" />',
                '<spiffworkflow:property name="outcome" value="approved" />',
            )
        )
        bad.checksum = "untested: cancel approves"  # parsed specs are cached by (id, checksum)
        bad.save(update_fields=["checksum"])
        versioning.make_current(version=bad, action=versioning.Activation.ROLLBACK)
        request = submit(api_as(client_user), acme_contract)
        ask_client(api_as(bok_staff), request["id"])
        instance = PortalRequest.objects.get(pk=request["id"]).process_instance
        assert instance.process_version == bad

        # when the cancel timer fires: the request waits for the client, so it cannot be approved
        traveller.shift(timedelta(days=30, minutes=1))
        assert sweep_due_timers() == 0

        # then the incident opens at once (retrying cannot help), naming the timer, and the sweep stops
        incident = Incident.objects.get()
        assert (incident.element_id, incident.status, incident.attempts) == ("cancel_timer", "open", 1)
        assert incident.error_class == "django_fsm.TransitionNotAllowed"
        traveller.shift(timedelta(days=1))
        sweep_due_timers()
        incident.refresh_from_db()
        assert incident.attempts == 1
        assert PortalRequest.objects.get(pk=request["id"]).status == "waiting_for_client"

    # and the repair console explains it in the reader's language, the technical text kept apart
    console = page(analyst, "/ops/")
    row = console.split(f'data-testid="incident-{incident.pk}"', 1)[1].split("</tr>", 1)[0]
    # the timer by its name on the canvas, its id below it (walk 35)
    assert 'Po 30 dniach bez odpowiedzi <code class="ops-id">cancel_timer</code>' in row
    assert (
        "Proces doszedł do zdarzenia końcowego „Anulowany: brak odpowiedzi w terminie” z wynikiem „zatwierdzony” "
        "(approved) po „Po 30 dniach bez odpowiedzi”, ale "
        "wniosek w statusie „Oczekuje na odpowiedź klienta” nie może przyjąć tego wyniku" in row
    )
    assert row.index("Szczegóły techniczne") < row.index("Can&#x27;t switch from state")
    analyst.language = "en"
    analyst.save(update_fields=["language"])
    english = page(analyst, f"/ops/instances/{instance.pk}/")
    assert (
        "The process reached the end event “Anulowany: brak odpowiedzi w terminie” with the outcome “approved” "
        "after “Po 30 dniach bez odpowiedzi”" in english
    )
    [listed] = api_as(analyst).get("/api/ops/incidents/").json()
    assert listed["element_id"] == "cancel_timer"
    assert listed["reason"].startswith(
        "The process reached the end event “Anulowany: brak odpowiedzi w terminie”"
    )


def test_a_timer_failing_outside_the_engine_names_the_due_timer_and_says_so(
    api_as, client_user, bok_staff, acme_contract, monkeypatch
):
    from backend.requests_app import lifecycle

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request = submit(api_as(client_user), acme_contract)
        ask_client(api_as(bok_staff), request["id"])

        def broken(*args, **kwargs):
            raise RuntimeError("database hiccup")

        # when applying the fired reminder to the request fails (not the engine's step)
        monkeypatch.setattr(lifecycle, "apply_step", broken)
        traveller.shift(timedelta(days=14, minutes=1))
        assert sweep_due_timers() == 0

    # then the incident names the timer that was due, with a reason the console reads in its language
    incident = Incident.objects.get()
    assert (incident.element_id, incident.status) == ("reminder_timer", "retrying")
    with translation.override("pl"):
        # the timer by its name on the canvas (walk 35), not its id
        assert incident.reason.startswith(
            "Zegar „Po 14 dniach bez odpowiedzi” jest już wymagalny, ale jego wyzwolenie"
        )
    with translation.override("en"):
        assert "(RuntimeError)" in incident.reason
