"""Business-rule tasks deploy only with their DMN table, which is stored and cached with the version.

A business-rule task is accepted when its `spiffworkflow:calledDecisionId` names a DMN table shipped with
the version (uploaded with the BPMN, or bpmn/dmn/<id>.dmn) and that table parses; otherwise the deploy
is refused naming the element, in Polish or English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from backend.core.exceptions import PortalValidationError
from workflows import engine
from workflows.deployment import OldVersionContent
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version, parse_for_deploy, parsed
from workflows.versioning import diff_versions

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
PERMIT_XML = (BPMN_DIR / "vehicle_abroad_permit.bpmn").read_text(encoding="utf-8")
PERMIT_DMN = (BPMN_DIR / "dmn" / "vehicle_abroad_permit.dmn").read_text(encoding="utf-8")
CALLED = "<spiffworkflow:calledDecisionId>vehicle_abroad_permit</spiffworkflow:calledDecisionId>"
FACTS = {
    "countries": ["RS"],
    "policy_countries": ["RS", "PL"],
    "contract_status": "active",
    "overdue_invoices": 0,
    "within_contract": True,
    "days": 7,
}


def refusal(xml: str, *, dmn: dict | None = None, language: str = "en") -> dict[str, list[str]]:
    before = ProcessVersion.objects.count()
    with translation.override(language), pytest.raises(PortalValidationError) as caught:
        deploy_bpmn_version(xml=xml, dmn=dmn)
    assert ProcessVersion.objects.count() == before
    return caught.value.fields


def outcome(process: engine.ParsedProcess, facts: dict) -> str:
    def services(name, params, data):
        return facts if name == "collect_permit_facts" else {}

    result = engine.start_instance(
        process, data={"request_id": 1, "kind": "vehicle_abroad_permit"}, services=services
    )
    return result.outcome or result.stage


def test_the_permit_flow_deploys_with_its_shipped_table_stored_in_the_version():
    version = deploy_bpmn_version(xml=PERMIT_XML)
    assert version.dmn == {"vehicle_abroad_permit": PERMIT_DMN}
    assert version.test_run["passed"] is True
    assert outcome(parsed(version), FACTS) == "approved"


def test_a_new_table_is_a_new_version_and_the_old_version_keeps_its_rules():
    # given version 1 with the shipped table
    first = deploy_bpmn_version(xml=PERMIT_XML)
    # when an analyst deploys the same BPMN with Serbia off the allowed list
    stricter = PERMIT_DMN.replace("&quot;RS&quot;, ", "")
    second = deploy_bpmn_version(xml=PERMIT_XML, dmn={"vehicle_abroad_permit": stricter})
    # then it is version 2, and each version decides by its own table (cached per version)
    assert (first.number, second.number) == (1, 2)
    assert second.dmn["vehicle_abroad_permit"] == stricter
    assert outcome(parsed(first), FACTS) == "approved"
    assert outcome(parsed(second), FACTS) == "staff_review"
    # and the versions' diff names the changed table (the BPMN is the same)
    diff = diff_versions(first, second)
    assert (diff["dmn_changed"], diff["same"], diff["changed"]) == (["vehicle_abroad_permit"], False, [])
    # and deploying the shipped table again is no third version: it is version 1's content, which only a
    # rollback (with its reason) makes current again
    with pytest.raises(OldVersionContent):
        deploy_bpmn_version(xml=PERMIT_XML)
    assert ProcessVersion.objects.filter(process_key=first.process_key).count() == 2


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "calls the decision table no_such_table, which is not shipped with this version"),
        ("pl", "wywołuje tabelę decyzyjną no_such_table, której nie dołączono do tej wersji"),
    ],
)
def test_a_decision_not_shipped_is_refused_naming_the_task(language, expected):
    xml = PERMIT_XML.replace(CALLED, CALLED.replace("vehicle_abroad_permit", "no_such_table"))
    fields = refusal(xml, language=language)
    assert any(expected in message for message in fields["evaluate_rules"]), fields


def test_a_business_rule_task_without_a_decision_is_refused():
    fields = refusal(PERMIT_XML.replace(CALLED, ""))
    assert any("names no decision table" in m for m in fields["evaluate_rules"]), fields


def test_the_permit_type_needs_its_decision_table():
    # the business-rule task now calls another (uploaded, valid) table: the contract's table is missing
    other = PERMIT_DMN.replace('<decision id="vehicle_abroad_permit"', '<decision id="other_rules"')
    xml = PERMIT_XML.replace(CALLED, CALLED.replace("vehicle_abroad_permit", "other_rules"))
    fields = refusal(xml, dmn={"other_rules": other})
    assert any("vehicle_abroad_permit" in m for m in fields["vehicle_abroad_permit"]), fields


@pytest.mark.parametrize(
    ("broken", "element", "expected"),
    [
        (
            PERMIT_DMN.replace("<text>&gt; 90</text>", "<text>&gt; &gt; 90</text>"),
            "rule_too_long",
            "does not compile",
        ),
        (
            PERMIT_DMN.replace("<text>!= 0</text>", "<text>__import__('os')</text>"),
            "rule_overdue_invoices",
            "names starting with __ are not allowed",
        ),
        (
            PERMIT_DMN.replace('hitPolicy="COLLECT"', 'hitPolicy="ANY"'),
            "vehicle_abroad_permit_table",
            "hit policy",
        ),
        (PERMIT_DMN.replace('name="failed_rule"', 'name="failed rule"'), "output_rule", "variable name"),
    ],
)
def test_a_broken_table_is_refused_naming_its_element(broken, element, expected):
    fields = refusal(PERMIT_XML, dmn={"vehicle_abroad_permit": broken})
    assert any(expected in message for message in fields.get(element, [])), fields


def test_a_table_that_is_not_xml_is_refused():
    fields = refusal(PERMIT_XML, dmn={"vehicle_abroad_permit": "<definitions"})
    assert any("The DMN file cannot be read" in m for messages in fields.values() for m in messages), fields


def test_the_gateway_may_read_the_table_outputs_but_not_unknown_names():
    # `allowed` comes from the table; a made-up variable is still refused
    parse_for_deploy(PERMIT_XML)
    xml = PERMIT_XML.replace(">allowed in (True, [True])<", ">permitted in (True, [True])<")
    assert xml != PERMIT_XML
    fields = refusal(xml)
    assert any("permitted" in m for m in fields["flow_rules_pass"]), fields


def test_without_tables_a_business_rule_task_is_an_engine_problem_too():
    # parse_bpmn without deploy rules still refuses a task whose table is missing
    with pytest.raises(engine.BpmnValidationError) as caught:
        engine.parse_bpmn(PERMIT_XML)
    assert caught.value.problems[0].element_id == "evaluate_rules"


def test_the_api_validates_and_deploys_with_an_uploaded_table(api_as, analyst):
    api = api_as(analyst)
    stricter = PERMIT_DMN.replace("&quot;RS&quot;, ", "")
    body = {"bpmn_xml": PERMIT_XML, "dmn": {"vehicle_abroad_permit": stricter}}
    response = api.post("/api/workflows/validate/", body, format="json")
    assert response.status_code == 200 and response.json()["valid"] is True, response.json()
    broken = {"bpmn_xml": PERMIT_XML, "dmn": {"vehicle_abroad_permit": stricter.replace("!= 0", "!= ")}}
    response = api.post("/api/workflows/validate/", broken, format="json")
    assert response.json()["valid"] is False and "rule_overdue_invoices" in response.json()["errors"]
    response = api.post("/api/workflows/versions/", body, format="json")
    assert response.status_code == 201, response.json()
    detail = api.get(f"/api/workflows/versions/{response.json()['id']}/").json()
    assert detail["dmn"] == {"vehicle_abroad_permit": stricter}
