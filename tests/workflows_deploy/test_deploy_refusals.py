"""Deploy refuses every version the issue saw break requests, naming the element; the shipped flows pass.

Each broken file is a copy of a shipped BPMN edited in the test, as an analyst would in the modeler.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.core.exceptions import PortalValidationError
from backend.requests_app.models import PortalRequest
from tests.requests_app.helpers import submission
from workflows import engine
from workflows.contract import CONTRACTS, Lane
from workflows.deploy_rules import deploy_checks
from workflows.forms import form_path, load_form
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version, parse_for_deploy

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
KEYS = sorted(path.stem for path in BPMN_DIR.glob("*.bpmn"))
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
XSI = 'xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def refusal(xml: str) -> dict[str, list[str]]:
    """Deploy `xml`; return the refusal's messages by element id (and check nothing was stored)."""
    before = ProcessVersion.objects.count()
    with pytest.raises(PortalValidationError) as caught:
        deploy_bpmn_version(xml=xml)
    assert ProcessVersion.objects.count() == before
    return caught.value.fields


def insert_in_staff_lane(xml: str, element_id: str) -> str:
    return xml.replace(
        "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>",
        f"<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>{element_id}</bpmn:flowNodeRef>",
    )


def before_staff_review(xml: str, element: str, element_id: str) -> str:
    """Put `element` between the start event and staff_review (flow_submitted → it → staff_review)."""
    xml = insert_in_staff_lane(xml, element_id)
    xml = xml.replace(
        '<bpmn:sequenceFlow id="flow_submitted" sourceRef="start_event" targetRef="staff_review" />',
        f'<bpmn:sequenceFlow id="flow_submitted" sourceRef="start_event" targetRef="{element_id}" />\n'
        f'    <bpmn:sequenceFlow id="flow_{element_id}" sourceRef="{element_id}" targetRef="staff_review" />',
    )
    return xml.replace("</bpmn:laneSet>", f"</bpmn:laneSet>\n    {element}", 1)


# --------------------------------------------------------------------------------------------------
# The shipped flows


@pytest.mark.parametrize("key", KEYS)
def test_shipped_flows_deploy_and_keep_their_contract(key):
    # when
    xml = (BPMN_DIR / f"{key}.bpmn").read_text(encoding="utf-8")
    process = parse_for_deploy(xml)
    version = deploy_bpmn_version(xml=xml)

    # then the version exists and offers what the request type's contract declares
    contract = CONTRACTS[key]
    assert version.process_key == key
    for task in contract.user_tasks:
        assert process.user_tasks[task.task_id].lane == task.lane
        assert process.user_tasks[task.task_id].form_key == task.form_key
        assert form_path(task.form_key) is not None
    assert set(process.end_outcomes.values()) >= {o.value for o in contract.required_outcomes}
    assert process.user_tasks[contract.waiting_for_client_task].lane == Lane.CLIENT
    # and its stages are labelled by the file itself: a Polish name and an English titleEn
    for stage in [*process.user_tasks, *process.end_outcomes]:
        polish, english = process.stage_titles[stage]
        assert stage not in (polish, english), (stage, polish, english)


def test_every_shipped_flow_has_a_contract_and_only_those():
    assert sorted(CONTRACTS) == KEYS


# --------------------------------------------------------------------------------------------------
# Tasks the portal cannot show


@pytest.mark.parametrize("tag", ["task", "manualTask"])
def test_plain_or_manual_task_in_the_staff_lane_is_refused(tag):
    xml = before_staff_review(
        PAYMENT_XML,
        f'<bpmn:{tag} id="extra_check" name="Dodatkowa kontrola"><bpmn:incoming>flow_submitted</bpmn:incoming>'
        f"<bpmn:outgoing>flow_extra_check</bpmn:outgoing></bpmn:{tag}>",
        "extra_check",
    )

    fields = refusal(xml)

    assert "extra_check" in fields
    assert "nie jest obsługiwany" in fields["extra_check"][0]
    assert tag in fields["extra_check"][0]


def test_renamed_staff_review_is_refused_naming_both_ids():
    xml = (
        PAYMENT_XML.replace('id="staff_review"', 'id="staff_check"')
        .replace("<bpmn:flowNodeRef>staff_review<", "<bpmn:flowNodeRef>staff_check<")
        .replace('targetRef="staff_review"', 'targetRef="staff_check"')
        .replace('sourceRef="staff_review"', 'sourceRef="staff_check"')
        .replace('bpmnElement="staff_review"', 'bpmnElement="staff_check"')
    )

    fields = refusal(xml)

    assert "staff_check" in fields  # the new id is no stage of the request type
    assert "staff_review" in fields["payment_date_change"][0]  # the contract's task is missing
    assert "zmieniono" in fields["payment_date_change"][0]


def test_user_task_in_the_wrong_lane_or_with_another_form_is_refused():
    xml = (
        PAYMENT_XML.replace("<bpmn:flowNodeRef>client_reply</bpmn:flowNodeRef>", "").replace(
            "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>",
            "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef><bpmn:flowNodeRef>client_reply</bpmn:flowNodeRef>",
        )
    ).replace('value="payment_date_change/staff_review"', 'value="other_request/staff_review"')

    fields = refusal(xml)

    assert "Client" in fields["client_reply"][0]
    assert "payment_date_change/staff_review" in fields["staff_review"][0]


# --------------------------------------------------------------------------------------------------
# End events and outcomes


def test_renamed_approved_end_event_with_its_outcome_still_approves(
    api_as, client_user, bok_staff, acme_contract
):
    # given version 2 where the approved end event has another id (its outcome property kept)
    xml = PAYMENT_XML.replace('"request_approved"', '"done_ok"').replace(">request_approved<", ">done_ok<")
    deploy_bpmn_version(xml=xml)
    response = api_as(client_user).post(
        "/api/requests/",
        submission(
            "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()

    # when staff approve
    approved = api_as(bok_staff).post(
        f"/api/staff/requests/{response.json()['id']}/approve/", {}, format="json"
    )

    # then the request is completed by the outcome, not by the element id
    assert approved.status_code == 200, approved.json()
    portal_request = PortalRequest.objects.get(pk=response.json()["id"])
    assert (portal_request.status, portal_request.stage) == ("completed", "done_ok")
    # and its label is the BPMN element's own name, not the raw id
    detail = api_as(client_user).get(f"/api/requests/{portal_request.pk}/").json()
    assert detail["stage_label"] == "Zrealizowany"


def test_end_event_without_outcome_is_refused():
    xml = PAYMENT_XML.replace('<spiffworkflow:property name="outcome" value="approved" />', "").replace(
        '"request_approved"', '"done_ok"'
    )

    fields = refusal(xml)

    assert "done_ok" in fields
    assert "outcome" in fields["done_ok"][0]
    assert "approved" in fields["payment_date_change"][0]  # no end event approves any more


def test_process_without_end_events_is_refused():
    xml = PAYMENT_XML
    for end_id, flow in [
        ("request_cancelled", "flow_timeout"),
        ("request_approved", "flow_document_ready"),
        ("request_rejected", "flow_rejection_ready"),
        ("reminder_sent", "flow_reminded"),
    ]:
        start = xml.index(f'<bpmn:endEvent id="{end_id}"')
        xml = xml[:start] + xml[xml.index("</bpmn:endEvent>", start) + len("</bpmn:endEvent>") :]
        start = xml.index(f'<bpmn:sequenceFlow id="{flow}"')
        xml = xml[:start] + xml[xml.index("/>", start) + 2 :]

    fields = refusal(xml)

    assert "payment_date_change" in fields
    assert "zdarzenia końcowego" in fields["payment_date_change"][0]


def test_dead_end_without_a_path_to_an_end_event_is_refused():
    xml = PAYMENT_XML.replace(
        '<bpmn:sequenceFlow id="flow_document_ready" sourceRef="issue_decision_document" targetRef="request_approved" />',
        "",
    ).replace("<bpmn:incoming>flow_document_ready</bpmn:incoming>", "")

    fields = refusal(xml)

    assert "issue_decision_document" in fields


def test_unknown_outcome_is_refused():
    fields = refusal(PAYMENT_XML.replace('name="outcome" value="rejected"', 'name="outcome" value="maybe"'))

    assert "maybe" in fields["request_rejected"][0]


# --------------------------------------------------------------------------------------------------
# Conditions and scripts


def test_condition_naming_an_undefined_variable_is_refused():
    fields = refusal(PAYMENT_XML.replace("decision == &quot;approve&quot;", "decison == &quot;approve&quot;"))

    assert "flow_approve" in fields
    assert "decison" in fields["flow_approve"][0]


def test_condition_that_does_not_compile_is_refused():
    fields = refusal(
        PAYMENT_XML.replace("decision == &quot;approve&quot;", "decision == = &quot;approve&quot;")
    )

    assert "flow_approve" in fields


def test_gateway_whose_conditions_can_all_be_false_is_refused():
    fields = refusal(PAYMENT_XML.replace("decision == &quot;ask_client&quot;", "decision == &quot;ask&quot;"))

    assert "decision_gateway" in fields
    assert "przepływu domyślnego" in fields["decision_gateway"][0]


def test_gateway_with_a_default_flow_may_have_partial_conditions():
    xml = PAYMENT_XML.replace(
        '<bpmn:exclusiveGateway id="decision_gateway" name="Decyzja?">',
        '<bpmn:exclusiveGateway id="decision_gateway" name="Decyzja?" default="flow_reject">',
    ).replace(
        f"<bpmn:conditionExpression {XSI}>decision == &quot;reject&quot;</bpmn:conditionExpression>", ""
    )

    assert parse_for_deploy(xml).process_key == "payment_date_change"


def script_task(script: str, task_id: str = "prepare") -> str:
    return (
        f'<bpmn:scriptTask id="{task_id}" name="Przygotowanie"><bpmn:incoming>flow_submitted</bpmn:incoming>'
        f"<bpmn:outgoing>flow_{task_id}</bpmn:outgoing><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>"
    )


@pytest.mark.parametrize(
    "script",
    ["total = undefined_amount + 1", "raise ValueError(&quot;x&quot;)", "share = 100 / 0", "x = = 1"],
)
def test_script_that_fails_on_every_run_is_refused(script):
    fields = refusal(before_staff_review(PAYMENT_XML, script_task(script), "prepare"))

    assert "prepare" in fields


def test_script_over_start_data_and_its_own_variables_is_accepted():
    xml = before_staff_review(
        PAYMENT_XML, script_task("label = kind + str(request_id)\nshort = label[:10]"), "prepare"
    )

    assert parse_for_deploy(xml).process_key == "payment_date_change"


def test_automatic_loop_without_a_wait_state_is_refused():
    loop = (
        script_task("counter = 1", "loop_script").replace(
            "<bpmn:incoming>flow_submitted</bpmn:incoming>",
            "<bpmn:incoming>flow_submitted</bpmn:incoming><bpmn:incoming>flow_again</bpmn:incoming>",
        )
        + '<bpmn:exclusiveGateway id="loop_gateway" default="flow_on"><bpmn:incoming>flow_loop_script</bpmn:incoming>'
        "<bpmn:outgoing>flow_again</bpmn:outgoing><bpmn:outgoing>flow_on</bpmn:outgoing></bpmn:exclusiveGateway>"
        f'<bpmn:sequenceFlow id="flow_loop_script" sourceRef="loop_script" targetRef="loop_gateway" />'
        f'<bpmn:sequenceFlow id="flow_again" sourceRef="loop_gateway" targetRef="loop_script">'
        f"<bpmn:conditionExpression {XSI}>counter &gt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>"
        '<bpmn:sequenceFlow id="flow_on" sourceRef="loop_gateway" targetRef="staff_review" />'
    )
    xml = insert_in_staff_lane(PAYMENT_XML, "loop_script").replace(
        'targetRef="staff_review" />', 'targetRef="loop_script" />', 1
    )
    xml = xml.replace("</bpmn:laneSet>", f"</bpmn:laneSet>\n    {loop}", 1)

    fields = refusal(xml)

    assert "loop_script" in fields
    assert "loop_gateway" in fields["loop_script"][0]
    assert "oczekiwania" in fields["loop_script"][0]


# --------------------------------------------------------------------------------------------------
# Process ids


@pytest.mark.parametrize(
    "new_key",
    [
        "payment_date_change.v2",
        "payment_date_change_" + "x" * 60,
        "Payment_Date_Change",
        "new_kind_of_request",
    ],
)
def test_unsafe_long_or_unknown_process_id_is_refused(new_key):
    fields = refusal(PAYMENT_XML.replace('"payment_date_change"', f'"{new_key}"'))

    assert new_key in fields
    assert not ProcessVersion.objects.filter(process_key=new_key).exists()


def test_refusal_reaches_the_editor_in_polish_and_english(api_as, analyst):
    # given a file with an undefined variable in a condition
    xml = PAYMENT_XML.replace("decision == &quot;approve&quot;", "decison == &quot;approve&quot;")
    api = api_as(analyst)

    # when the analyst validates (Polish by default) and deploys in English
    validated = api.post("/api/workflows/validate/", {"bpmn_xml": xml}, format="json").json()
    analyst.language = "en"
    analyst.save(update_fields=["language"])
    refused = api_as(analyst).post("/api/workflows/versions/", {"bpmn_xml": xml}, format="json")

    # then the editor's problem list gets the element id with the message in the analyst's language
    assert validated["valid"] is False
    assert "żaden formularz" in validated["errors"]["flow_approve"][0]
    assert refused.status_code == 400
    assert "no form" in refused.json()["fields"]["flow_approve"][0]


MIWG_DIR = Path("/work/shared/bpmn-miwg/reference")


@pytest.mark.parametrize("path", sorted(MIWG_DIR.glob("*.bpmn")), ids=lambda p: p.name)
def test_deploy_rules_refuse_third_party_files_clearly_never_crash(path):
    """Whatever an analyst uploads, the deploy checks answer with problems, never an exception."""
    with pytest.raises(engine.BpmnValidationError) as caught:
        engine.parse_bpmn(
            path.read_bytes(), deploy_checks=deploy_checks(contracts=CONTRACTS, form_schema=lambda key: None)
        )

    assert caught.value.problems
    assert all(problem.message for problem in caught.value.problems)


def test_engine_parser_messages_are_translated_and_keep_their_line():
    # given a service task without its operator, seen by SpiffWorkflow's parser (the portal's own check of
    # operators is left out: it would report it first)
    start = PAYMENT_XML.index('<spiffworkflow:serviceTaskOperator id="apply_payment_date_change"')
    end = PAYMENT_XML.index("</spiffworkflow:serviceTaskOperator>", start) + len(
        "</spiffworkflow:serviceTaskOperator>"
    )
    xml = PAYMENT_XML[:start] + PAYMENT_XML[end:]

    with pytest.raises(engine.BpmnValidationError) as caught:
        engine.parse_bpmn(xml, deploy_checks=deploy_checks(contracts=CONTRACTS, form_schema=load_form))

    [problem] = caught.value.problems
    assert problem.element_id == "apply_change"
    assert problem.message == "Zadanie serwisowe nie wskazuje funkcji (serviceTaskOperator)."
    assert problem.line == xml[: xml.index('<bpmn:serviceTask id="apply_change"')].count("\n") + 1
