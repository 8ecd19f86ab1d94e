"""The test run: every path of the contract, driven through the engine, rolled back."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.core.exceptions import PortalValidationError
from backend.core.models import AuditLog, OutboxEvent
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.workflows.test_services import PAYMENT_XML
from tests.workflows_versions.helpers import REJECT_WAITS_XML
from workflows import schema_examples, simulation, versioning
from workflows.contract import CONTRACTS, Outcome, get_contract
from workflows.forms import load_form
from workflows.models import CurrentVersion, ProcessInstance, ProcessVersion
from workflows.services import (
    builtin_process_files,
    deploy_bpmn_version,
    get_current_version,
    parse_for_deploy,
)

pytestmark = pytest.mark.django_db


def run(xml: str) -> simulation.TestRun:
    process = parse_for_deploy(xml)
    return versioning.run_test(process, {key: load_form(key) for key in process.form_keys})


@pytest.mark.parametrize("process_key", sorted(CONTRACTS))
def test_every_shipped_flow_passes_every_path(process_key):
    result = run(builtin_process_files()[process_key].read_text(encoding="utf-8"))

    assert result.passed, result.failures()
    # A type without a cancelling timer (a complaint: its deadline ends the wait, staff answer) has no
    # cancel path.
    cancels = any(timer.outcome == Outcome.CANCELLED for timer in CONTRACTS[process_key].timers)
    expected = dict.fromkeys(simulation.PATHS, "passed") | ({} if cancels else {"cancel": "skipped"})
    assert {p.path: p.status for p in result.paths} == expected
    by_path = {p.path: p for p in result.paths}
    assert by_path["approve"].element_id == "request_approved"
    assert by_path["reject"].element_id == "request_rejected"
    if cancels:
        assert by_path["cancel"].element_id == "request_cancelled"
    assert "reminder_timer" in by_path["reminder"].steps
    assert "cancel_timer" not in by_path["reminder"].steps


def test_a_reject_path_that_does_not_end_rejected_fails_naming_where_it_stopped():
    result = run(REJECT_WAITS_XML)

    assert not result.passed
    [failure] = result.failures()
    assert (failure.path, failure.element_id) == ("reject", "client_reply")
    assert "rejected" in failure.reason


def test_a_reminder_later_than_day_14_fails_the_reminder_path():
    result = run(PAYMENT_XML.replace("&quot;P14D&quot;", "&quot;P20D&quot;"))

    [failure] = result.failures()
    assert (failure.path, failure.element_id) == ("reminder", "reminder_timer")


def test_generated_form_data_fits_the_conditional_requirements():
    schema = load_form("payment_date_change/staff_review")

    data = schema_examples.example_from_schema(schema, {"decision": "reject"})

    assert data["decision"] == "reject" and len(data["reason"]) >= 3
    assert schema_examples.form_problem(schema, data) == ""
    assert schema_examples.form_problem(schema, {"decision": "reject"}) != ""


def test_example_values_follow_the_schema():
    assert schema_examples.example_value({"type": "string", "format": "date"}).count("-") == 2
    assert schema_examples.example_value({"type": "integer", "minimum": 5}) == 5
    assert schema_examples.example_value({"type": "boolean"}) is True
    assert schema_examples.example_value({"type": "string", "enum": ["b", "a"]}) == "b"
    assert schema_examples.example_value({"type": "string", "examples": ["PL"]}) == "PL"
    assert schema_examples.example_value({"type": "string", "minLength": 6, "maxLength": 8}) == "Testxx"


def test_a_test_run_leaves_no_rows_and_sends_nothing():
    versions = [get_current_version(key) for key in sorted(CONTRACTS)]
    counts = [
        m.objects.count() for m in (OutboxEvent, RequestEvent, PortalRequest, ProcessInstance, AuditLog)
    ]

    for version in versions:
        assert versioning.test_version(version).passed

    assert [
        m.objects.count() for m in (OutboxEvent, RequestEvent, PortalRequest, ProcessInstance, AuditLog)
    ] == counts
    assert mail.outbox == []


def test_whatever_a_service_writes_during_the_run_is_rolled_back(monkeypatch):
    # given a stand-in service runner that writes (as a real service task would)
    def writing_stand_in(calls):
        def run_service(name, params, data):
            calls.append(name)
            AuditLog.objects.create(action="simulation.wrote")
            return {}

        return run_service

    monkeypatch.setattr(simulation, "stand_in_services", writing_stand_in)

    # when
    result = run(PAYMENT_XML)

    # then the services ran, and nothing they wrote is left
    assert result.passed
    assert not AuditLog.objects.filter(action="simulation.wrote").exists()


def test_deploy_is_refused_when_the_test_run_fails(analyst):
    current = get_current_version("payment_date_change")

    with pytest.raises(PortalValidationError) as refused:
        deploy_bpmn_version(xml=REJECT_WAITS_XML, by=analyst)

    assert refused.value.fields.keys() == {"client_reply"}
    assert ProcessVersion.objects.filter(process_key="payment_date_change").count() == 1
    assert CurrentVersion.objects.get(process_key="payment_date_change").version == current


def test_the_deployed_version_keeps_its_passed_test_run(analyst):
    version = deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena"), by=analyst)

    assert version.test_run["passed"] is True
    assert [p["path"] for p in version.test_run["paths"]] == list(simulation.PATHS)
    assert get_contract("payment_date_change") is not None
