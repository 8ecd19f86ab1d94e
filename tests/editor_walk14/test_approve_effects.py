"""Defect 1: a flow whose approve path no longer runs the task that applies the change is refused by
Validate, the test run and Deploy, naming the task by its name; every shipped flow still deploys."""

from __future__ import annotations

import pytest
from django.utils import translation

from backend.core.exceptions import PortalValidationError
from tests.editor_walk14.flows import BPMN_DIR, PAYMENT_XML, bypassing_apply_change, without_apply_change
from tests.workflows_versions.helpers import REJECT_APPROVES_XML
from workflows import engine, simulation, simulation_labels
from workflows.contract import CONTRACTS, Outcome
from workflows.forms import load_form
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def test_deleting_the_task_that_applies_the_change_is_refused_naming_it(api_as, analyst):
    # given the payment day flow whose "Wprowadzenie nowej daty płatności" the analyst deleted, the
    # approve flow reconnected to the document task
    get_current_version(KEY)
    xml = without_apply_change()
    body = {"bpmn_xml": xml, "process_key": KEY}
    api = api_as(analyst)

    # when they validate, test-run and deploy it
    validated = api.post("/api/workflows/validate/", body, format="json").json()
    tested = api.post("/api/workflows/test-run/", body, format="json")
    deployed = api.post("/api/workflows/versions/", body, format="json")

    # then each refuses it under the approved end event, naming the missing task by its name
    assert validated["valid"] is False
    for errors in (validated["errors"], tested.json()["fields"], deployed.json()["fields"]):
        [message] = errors["request_approved"]
        assert "„Wprowadzenie nowej daty płatności” (operacja apply_payment_date_change)" in message
        assert "„Zrealizowany”" in message and "omija" in message
    assert (tested.status_code, deployed.status_code) == (400, 400)
    # and no approved request can end without the change: no version was stored
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 1


def test_a_task_left_on_no_path_is_named_as_the_diagram_names_it_in_english():
    # given the approve flow led around the task, which stays in the diagram, renamed
    xml = bypassing_apply_change(PAYMENT_XML.replace("Wprowadzenie nowej daty płatności", "Nowa data"))

    with translation.override("en"), pytest.raises(PortalValidationError) as refused:
        deploy_bpmn_version(xml=xml)

    [message] = refused.value.fields["request_approved"]
    assert message.startswith(
        "A path reaches this end event (“Zrealizowany”, outcome “approved”) without running"
    )
    assert "the task “Nowa data” (operation apply_payment_date_change)" in message


def test_a_reject_path_ending_approved_is_refused_before_the_test_run():
    # (reject ends at an end event with the outcome approved, the `rejected` one sits on the reminder's
    # side branch: no path to either runs what its outcome needs)
    with pytest.raises(PortalValidationError) as refused:
        deploy_bpmn_version(xml=REJECT_APPROVES_XML)

    assert set(refused.value.fields) == {"request_rejected", "reminder_sent"}
    assert "„Wprowadzenie nowej daty płatności”" in refused.value.fields["request_rejected"][0]
    assert "„Wygenerowanie aneksu / decyzji”" in refused.value.fields["reminder_sent"][0]


def test_the_test_run_fails_an_approve_path_that_did_not_apply_the_change():
    # given a version parsed without the deploy rules (as one deployed before them)
    process = engine.parse_bpmn(without_apply_change())
    forms = {key: load_form(key) for key in process.form_keys}

    # when it is test-run
    run = simulation.run_test(process, contract=CONTRACTS[KEY], forms=forms)

    # then both approving paths fail at the approved end, naming the operation that did not run
    failures = {path.path: path for path in run.failures()}
    assert set(failures) == {"approve", "ask_reply_approve"}
    for path in failures.values():
        assert path.element_id == "request_approved"
        assert "apply_payment_date_change" in simulation_labels.path_reason(path)


@pytest.mark.parametrize("path", sorted(BPMN_DIR.glob("*.bpmn")), ids=lambda p: p.stem)
def test_every_published_flow_runs_what_its_outcomes_need(path):
    version = deploy_bpmn_version(xml=path.read_text(encoding="utf-8"))

    assert version.test_run["passed"] is True
    assert CONTRACTS[path.stem].effects[Outcome.APPROVED]
