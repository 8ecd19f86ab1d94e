"""Process versions and instances in the database; the analyst API; crash safety of a step."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from backend.core.exceptions import PortalValidationError
from backend.core.models import OutboxEvent
from backend.requests_app.models import PortalRequest
from backend.requests_app.timers import sweep_due_timers
from tests.requests_app.helpers import contract_free_for, submission
from workflows import service_tasks
from workflows.models import ProcessInstance, ProcessVersion
from workflows.services import (
    deploy_bpmn_version,
    deploy_builtin_processes,
    get_current_version,
    start_process,
)

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


def submit(api, contract):
    contract = contract_free_for("payment_date_change", contract)
    response = api.post(
        "/api/requests/", submission("payment_date_change", contract=contract, data=PAYMENT), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_builtin_processes_are_version_one_and_deploying_them_again_changes_nothing():
    # when
    deploy_builtin_processes()
    deploy_builtin_processes()

    # then
    versions = ProcessVersion.objects.order_by("process_key")
    # one version 1 per shipped file (bpmn/*.bpmn)
    assert [(v.process_key, v.number) for v in versions] == [
        (path.stem, 1) for path in sorted(BPMN_DIR.glob("*.bpmn"))
    ]
    payment = versions.get(process_key="payment_date_change")
    assert set(payment.forms) == {"payment_date_change/staff_review", "payment_date_change/client_reply"}
    assert len(payment.checksum) == 64


def test_same_file_gives_the_same_version_a_changed_one_the_next(analyst):
    # given
    first = get_current_version("payment_date_change")

    # when
    same = deploy_bpmn_version(xml=PAYMENT_XML, by=analyst)
    changed = deploy_bpmn_version(
        xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst
    )

    # then
    assert same.pk == first.pk
    assert changed.number == first.number + 1
    assert changed.deployed_by == analyst
    assert get_current_version("payment_date_change") == changed


def test_invalid_bpmn_is_not_deployed_and_errors_name_the_elements(analyst):
    # given
    xml = PAYMENT_XML.replace("&quot;P30D&quot;", "P30D").replace('id="send_client_reminder"', 'id="nope"')

    # when
    with pytest.raises(PortalValidationError) as caught:
        deploy_bpmn_version(xml=xml, by=analyst)

    # then
    assert set(caught.value.fields) == {"cancel_timer", "send_reminder"}
    assert ProcessVersion.objects.filter(process_key="payment_date_change", number=2).count() == 0


def test_running_instances_stay_on_their_version(api_as, client_user, bok_staff, analyst, acme_contract):
    # given a request running on version 1
    client_api = api_as(client_user)
    old = submit(client_api, acme_contract)
    v1 = PortalRequest.objects.get(pk=old["id"]).process_instance.process_version

    # when version 2 is deployed and another request starts
    v2 = deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    new = submit(client_api, acme_contract)

    # then
    assert PortalRequest.objects.get(pk=new["id"]).process_instance.process_version == v2
    assert PortalRequest.objects.get(pk=old["id"]).process_instance.process_version == v1
    approved = api_as(bok_staff).post(f"/api/staff/requests/{old['id']}/approve/", {}, format="json")
    assert approved.json()["status"] == "completed"


def test_crash_mid_step_leaves_the_last_committed_state(
    api_as, client_user, bok_staff, acme_contract, monkeypatch
):
    # given the decision document generator crashes after the change was applied
    request = submit(api_as(client_user), acme_contract)
    instance = PortalRequest.objects.get(pk=request["id"]).process_instance
    outbox_before = OutboxEvent.objects.count()

    def crash(params, data):
        raise RuntimeError("disk full")

    monkeypatch.setitem(service_tasks._registry, "generate_decision_document", crash)
    staff_api = api_as(bok_staff)
    staff_api.raise_request_exception = False

    # when
    response = staff_api.post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json")

    # then nothing of the step remains: not the new payment day, not the state, not the events; the
    # answer is the incident in the error shape, not a bare 500
    assert response.status_code == 409
    assert response.json()["code"] == "workflow_incident"
    acme_contract.refresh_from_db()
    assert acme_contract.payment_day == 10
    instance.refresh_from_db()
    assert (instance.version, instance.stage, instance.status) == (0, "staff_review", "running")
    assert PortalRequest.objects.get(pk=request["id"]).status == "in_review"
    assert OutboxEvent.objects.count() == outbox_before
    assert instance.incidents.get().element_id == "issue_decision_document"

    # when the generator works again the same task can be completed (and the incident is over)
    monkeypatch.undo()
    assert (
        staff_api.post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json").status_code == 200
    )
    assert instance.incidents.get().status == "resolved"


def test_sweep_touches_only_due_instances(
    api_as, client_user, bok_staff, acme_contract, django_assert_max_num_queries
):
    # given one instance waiting with a due timer and one without timers
    waiting = submit(api_as(client_user), acme_contract)
    submit(api_as(client_user), acme_contract)
    api_as(bok_staff).post(
        f"/api/staff/requests/{waiting['id']}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    instance = PortalRequest.objects.get(pk=waiting["id"]).process_instance
    assert ProcessInstance.objects.filter(next_timer_due__isnull=False).count() == 1

    # when nothing is due the sweep is one query
    with django_assert_max_num_queries(1):
        assert sweep_due_timers() == 0

    # when a sweep is told the timer is due (its clock, not the real one)
    reminder_due = instance.next_timer_due
    fired = sweep_due_timers(now=reminder_due + timedelta(seconds=1))

    # then it fires what it listed by that clock (one notion of now), and the cancel is the next timer
    assert fired == 1
    instance.refresh_from_db()
    assert abs(instance.next_timer_due - (reminder_due + timedelta(days=16))) < timedelta(seconds=1)
    ProcessInstance.objects.filter(pk=instance.pk).update(
        next_timer_due=timezone.now() - timedelta(minutes=1)
    )
    assert sweep_due_timers() == 1  # the row was due; the engine ran and recomputed the real due time
    instance.refresh_from_db()
    assert instance.next_timer_due > timezone.now()


def test_start_process_without_builtin_file_is_refused():
    with pytest.raises(LookupError):
        start_process(process_key="no_such_process", data={})


# --------------------------------------------------------------------------------------------------
# Analyst API


def test_analyst_validates_and_deploys_a_version(api_as, analyst):
    # given
    api = api_as(analyst)
    bad = PAYMENT_XML.replace(
        '<spiffworkflow:property name="formKey" value="payment_date_change/client_reply" />', ""
    )
    good = PAYMENT_XML.replace("Oczekuje na odpowiedź klienta", "Uzupełnienie przez klienta")

    # when
    invalid = api.post("/api/workflows/validate/", {"bpmn_xml": bad}, format="json")
    valid = api.post("/api/workflows/validate/", {"bpmn_xml": good}, format="json")
    refused = api.post("/api/workflows/versions/", {"bpmn_xml": bad}, format="json")
    deployed = api.post("/api/workflows/versions/", {"bpmn_xml": good}, format="json")
    again = api.post("/api/workflows/versions/", {"bpmn_xml": good}, format="json")

    # then
    assert invalid.json()["valid"] is False
    assert "client_reply" in invalid.json()["errors"]
    assert valid.json() == {"valid": True, "process_key": "payment_date_change", "message": "", "errors": {}}
    assert refused.status_code == 400
    assert "client_reply" in refused.json()["fields"]
    assert deployed.status_code == 201
    assert deployed.json()["number"] == 2
    assert deployed.json()["deployed_by_email"] == analyst.email
    assert again.status_code == 200
    assert again.json()["id"] == deployed.json()["id"]


BROKEN_PAYMENT_XML = (
    PAYMENT_XML.replace(
        '<spiffworkflow:property name="formKey" value="payment_date_change/client_reply" />', ""
    )
    .replace("&quot;P30D&quot;", "P30D")
    .replace('id="send_client_reminder"', 'id="nope"')
)
BROKEN_PAYMENT_ERRORS = {
    "pl": {
        "client_reply": [
            "Zadanie użytkownika nie ma formularza: wybierz go w polu „Formularz” w panelu właściwości."
        ],
        "cancel_timer": [
            'Nieprawidłowe zdarzenie czasowe: wyrażenie czasowe P30D musi być tekstem w cudzysłowie, np. "P14D".'
        ],
        "send_reminder": ["Zadanie serwisowe wywołuje „nope”, która nie jest zarejestrowaną funkcją."],
    },
    "en": {
        "client_reply": ["The user task has no form: choose one in the Form field of the properties panel."],
        "cancel_timer": ['Invalid timer: the timer expression P30D must be a quoted string such as "P14D".'],
        "send_reminder": ['The service task calls "nope", which is not a registered function.'],
    },
}


@pytest.mark.parametrize(
    ("language", "summary"), [("pl", "Plik BPMN zawiera błędy."), ("en", "The BPMN file has errors.")]
)
def test_bpmn_problems_reach_the_analyst_in_their_language_keyed_by_element(
    api_as, analyst, language, summary
):
    # given an analyst who reads `language` and a file with three faults
    analyst.language = language
    analyst.save(update_fields=["language"])
    api = api_as(analyst)

    # when
    validated = api.post("/api/workflows/validate/", {"bpmn_xml": BROKEN_PAYMENT_XML}, format="json")
    refused = api.post("/api/workflows/versions/", {"bpmn_xml": BROKEN_PAYMENT_XML}, format="json")

    # then
    assert validated.json() == {
        "valid": False,
        "process_key": "",
        "message": summary,
        "errors": BROKEN_PAYMENT_ERRORS[language],
    }
    assert refused.status_code == 400
    assert refused.json()["message"] == summary
    assert refused.json()["fields"] == BROKEN_PAYMENT_ERRORS[language]
    assert not ProcessVersion.objects.filter(process_key="payment_date_change", number=2).exists()


def test_versions_list_shows_which_instances_run_where(api_as, analyst, client_user, acme_contract):
    # given
    request = submit(api_as(client_user), acme_contract)
    api = api_as(analyst)

    # when
    versions = api.get("/api/workflows/versions/", {"process_key": "payment_date_change"}).json()
    instances = api.get(f"/api/workflows/versions/{versions[0]['id']}/instances/").json()["results"]
    detail = api.get(f"/api/workflows/versions/{versions[0]['id']}/").json()

    # then
    assert versions[0]["running_instances"] == 1
    assert [i["request_number"] for i in instances] == [request["number"]]
    assert instances[0]["stage"] == "staff_review"
    assert detail["bpmn_xml"].startswith("<?xml")


def test_only_analysts_deploy(api_as, bok_staff, client_user):
    body = {"bpmn_xml": PAYMENT_XML}
    assert api_as(bok_staff).post("/api/workflows/versions/", body, format="json").status_code == 403
    assert api_as(bok_staff).get("/api/workflows/versions/").status_code == 200
    assert api_as(client_user).get("/api/workflows/versions/").status_code == 403


MINIMAL_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://x">
  <bpmn:process id="payment_date_change" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_staff" name="Staff"><bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="begin"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="staff_review" name="Jedno sprawdzenie">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="payment_date_change/staff_review" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="finish">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="outcome" value="approved" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="begin" targetRef="staff_review" />
    <bpmn:sequenceFlow id="f2" sourceRef="staff_review" targetRef="finish" />
  </bpmn:process>
</bpmn:definitions>
"""


def store_untested_version(xml: str) -> ProcessVersion:
    """Store `xml` as the next payment_date_change version the way versions were stored before deploys
    were test-run: MINIMAL_V2 could not be deployed now (every decision approves, there is no question)."""
    v1 = get_current_version("payment_date_change")
    return ProcessVersion.objects.create(
        process_key=v1.process_key,
        number=v1.number + 1,
        bpmn_xml=xml,
        forms=v1.forms,
        checksum=untested_checksum(xml),
    )


def untested_checksum(xml: str) -> str:
    """A stored version's checksum that differs with its file: parsed specs are cached per process by (id,
    checksum), and ids are reused after a test's rollback, so one fixed checksum made a later test read an
    earlier test's diagram as its own."""
    return "untested:" + hashlib.sha256(xml.encode()).hexdigest()[:16]


def test_analyst_moves_a_running_instance_to_a_new_version(
    api_as, analyst, bok_staff, client_user, acme_contract
):
    # given a request on version 1 and a version 2 with a renamed label
    request = submit(api_as(client_user), acme_contract)
    instance = PortalRequest.objects.get(pk=request["id"]).process_instance
    v2 = deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)

    # when
    response = api_as(analyst).post(
        f"/api/workflows/instances/{instance.pk}/migrate/", {"version_id": v2.pk}, format="json"
    )

    # then
    assert response.status_code == 200, response.json()
    instance.refresh_from_db()
    assert instance.process_version == v2
    assert instance.stage == "staff_review"
    from backend.core.models import AuditLog

    assert AuditLog.objects.filter(action="workflow.migrate_instance", user=analyst).exists()
    approved = api_as(bok_staff).post(f"/api/staff/requests/{request['id']}/approve/", {}, format="json")
    assert approved.json()["status"] == "completed"


def test_migration_is_refused_when_the_new_version_lacks_the_current_task(
    api_as, analyst, bok_staff, client_user, acme_contract
):
    # given
    request = submit(api_as(client_user), acme_contract)
    instance = PortalRequest.objects.get(pk=request["id"]).process_instance
    api_as(bok_staff).post(
        f"/api/staff/requests/{request['id']}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    v2 = store_untested_version(MINIMAL_V2)

    # when
    response = api_as(analyst).post(
        f"/api/workflows/instances/{instance.pk}/migrate/", {"version_id": v2.pk}, format="json"
    )

    # then
    assert response.status_code == 400
    # the analyst reads Polish (the default language)
    assert (
        "W nowej wersji brakuje elementów, do których ten wniosek już doszedł: " in response.json()["message"]
    )
    instance.refresh_from_db()
    assert instance.process_version.number == 1
    assert instance.stage == "client_reply"


def test_migration_only_by_analysts_and_within_one_process(
    api_as, analyst, bok_staff, client_user, acme_contract
):
    request = submit(api_as(client_user), acme_contract)
    instance = PortalRequest.objects.get(pk=request["id"]).process_instance
    other = get_current_version("other_request")
    url = f"/api/workflows/instances/{instance.pk}/migrate/"
    assert api_as(bok_staff).post(url, {"version_id": other.pk}, format="json").status_code == 403
    assert api_as(analyst).post(url, {"version_id": other.pk}, format="json").status_code == 400


def test_outbox_ids_reach_consumers_only_after_commit(
    api_as, client_user, acme_contract, monkeypatch, django_capture_on_commit_callbacks
):
    # given a consumer of the outbox
    from backend.core import services as core_services

    received: list[int] = []
    monkeypatch.setattr(core_services, "_outbox_listeners", [received.extend])

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(api_as(client_user), acme_contract)
    assert received == []
    for callback in callbacks:
        callback()

    # then
    kinds = list(OutboxEvent.objects.filter(pk__in=received).values_list("kind", flat=True))
    assert kinds == [OutboxEvent.Kind.REQUEST_SUBMITTED, OutboxEvent.Kind.REQUEST_STAGE_CHANGED]
