"""The contract's timers and the outcomes a path may reach: what the editor's Validate and Deploy refuse.

Each diagram is the shipped payment day change edited the way the outside tester edited it in the modeler:
the 30-day cancel renamed, deleted, shortened to a minute or lengthened to 60 days, a timer of the client's
wait that approves, the waiting task deleted. Validate runs every check of a deploy (the test run too), so
it never calls "deployable" a diagram Deploy refuses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from lxml import etree

from backend.core.exceptions import PortalValidationError
from backend.requests_app.lifecycle import OUTCOME_STATUS, PATHS
from backend.requests_app.models import PortalRequest, RequestStatus
from workflows.contract import OUTCOMES_FROM, SUBMITTED, Lane, Outcome
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
CANCELLED = '<spiffworkflow:property name="outcome" value="cancelled" />'
APPROVED = '<spiffworkflow:property name="outcome" value="approved" />'


def renamed(xml: str, old: str, new: str) -> str:
    """The element's id changed as the modeler changes it: the element, its references and its shape."""
    return (
        xml.replace(f'"{old}"', f'"{new}"')
        .replace(f">{old}<", f">{new}<")
        .replace(f'"{old}_di"', f'"{new}_di"')
    )


def without(xml: str, *element_ids: str) -> str:
    """The elements deleted as the modeler deletes them: with their sequence flows, lane references,
    incoming/outgoing references and shapes."""
    root = etree.fromstring(xml.encode("utf-8"))
    gone = set(element_ids)
    for flow in root.iter("{*}sequenceFlow"):
        if flow.get("sourceRef") in gone or flow.get("targetRef") in gone:
            gone.add(flow.get("id"))
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if (
            element.get("id") in gone
            or element.get("bpmnElement") in gone
            or (local in {"flowNodeRef", "incoming", "outgoing"} and (element.text or "").strip() in gone)
        ):
            element.getparent().remove(element)
    return etree.tostring(root, encoding="unicode")


def validate(api, xml: str) -> dict:
    response = api.post("/api/workflows/validate/", {"bpmn_xml": xml}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def refused_deploy(xml: str, language: str = "pl") -> PortalValidationError:
    before = ProcessVersion.objects.count()
    with translation.override(language), pytest.raises(PortalValidationError) as caught:
        deploy_bpmn_version(xml=xml)
    assert ProcessVersion.objects.count() == before
    return caught.value


# --------------------------------------------------------------------------------------------------
# The cancel timer the contract names must exist, on its task, with its fixed length


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "pl",
            "Brakuje zegara cancel_timer na client_reply: ten rodzaj wniosku go wymaga (gdy oczekiwanie w "
            "client_reply trwa 30 dni, kończy wniosek wynikiem „anulowany” (cancelled))",
        ),
        (
            "en",
            "The timer cancel_timer on client_reply is missing: this request type needs it (after 30 days of "
            "waiting at client_reply it ends the request with the outcome “cancelled”)",
        ),
    ],
)
def test_a_renamed_cancel_timer_is_refused_naming_the_timer_and_what_it_does(
    api_as, analyst, language, expected
):
    # given the tester's edit: cancel_timer renamed to timer_30d, everything else kept
    xml = renamed(PAYMENT_XML, "cancel_timer", "timer_30d")
    analyst.language = language
    analyst.save(update_fields=["language"])

    # when the analyst validates and deploys it
    validated = validate(api_as(analyst), xml)
    error = refused_deploy(xml, language)

    # then both refuse it under the task the timer belongs on, naming the timer and what it does
    assert validated["valid"] is False
    assert any(expected in message for message in validated["errors"]["client_reply"]), validated
    assert any(expected in message for message in error.fields["client_reply"]), error.fields


def test_a_deleted_cancel_timer_is_refused():
    # given a version whose client_reply waits without the 30-day cancel (requests would wait for ever)
    xml = without(PAYMENT_XML, "cancel_timer", "request_cancelled")

    error = refused_deploy(xml)

    assert any("Brakuje zegara cancel_timer" in message for message in error.fields["client_reply"])


@pytest.mark.parametrize(
    ("duration", "language", "expected"),
    [
        ("PT1M", "pl", 'Zegar cancel_timer musi odmierzać dokładnie 30 dni („P30D”), a nie "PT1M"'),
        ("P60D", "en", 'The timer cancel_timer must wait exactly 30 days ("P30D"), not "P60D"'),
    ],
)
def test_the_cancel_timer_length_is_fixed_by_the_contract(api_as, analyst, duration, language, expected):
    # given the cancel timer's duration edited in the properties panel
    xml = PAYMENT_XML.replace("&quot;P30D&quot;", f"&quot;{duration}&quot;")
    analyst.language = language
    analyst.save(update_fields=["language"])

    validated = validate(api_as(analyst), xml)
    error = refused_deploy(xml, language)

    # then the refusal names the timer and says why its length is fixed, instead of a failed test path
    for messages in (validated["errors"]["cancel_timer"], error.fields["cancel_timer"]):
        assert any(expected in message for message in messages), messages
        assert any("terms" in message or "warunki" in message for message in messages)


def test_the_cancel_timer_must_stay_interrupting():
    xml = PAYMENT_XML.replace(
        'id="cancel_timer" name="Po 30 dniach bez odpowiedzi" cancelActivity="true"',
        'id="cancel_timer" name="Po 30 dniach bez odpowiedzi" cancelActivity="false"',
    )

    error = refused_deploy(xml, "en")

    assert any(
        "must be an interrupting timer on the task client_reply" in m for m in error.fields["cancel_timer"]
    )


# --------------------------------------------------------------------------------------------------
# No path, a timer's whatever its id, may reach an outcome the request cannot take there


def test_the_testers_timer_that_approves_a_waiting_request_is_refused():
    # given the tester's version: the cancel timer renamed and its end event giving `approved`
    xml = renamed(PAYMENT_XML, "cancel_timer", "timer_30d").replace(CANCELLED, APPROVED)

    error = refused_deploy(xml)

    # then the end event is named, with the timer that reaches it and why it cannot approve there
    messages = error.fields["request_cancelled"]
    assert any(
        "Zdarzenie końcowe request_cancelled ma wynik „zatwierdzony” (approved), ale prowadzi do niego "
        "ścieżka z timer_30d, gdzie wniosek czeka na odpowiedź klienta: stamtąd wniosek może zakończyć się "
        "tylko wynikiem „anulowany” (cancelled)" in message
        for message in messages
    ), messages


def test_any_interrupting_timer_of_the_clients_wait_that_approves_is_refused_whatever_its_id():
    # given the shipped flow plus a second interrupting timer on client_reply that ends `approved`
    xml = PAYMENT_XML.replace(
        "<bpmn:flowNodeRef>cancel_timer</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>cancel_timer</bpmn:flowNodeRef>\n"
        "        <bpmn:flowNodeRef>auto_timer</bpmn:flowNodeRef>\n"
        "        <bpmn:flowNodeRef>auto_approved</bpmn:flowNodeRef>",
    ).replace(
        '    <bpmn:sequenceFlow id="flow_submitted"',
        '    <bpmn:boundaryEvent id="auto_timer" attachedToRef="client_reply">\n'
        "      <bpmn:outgoing>flow_auto</bpmn:outgoing>\n"
        '      <bpmn:timerEventDefinition id="auto_timer_definition">\n'
        '        <bpmn:timeDuration>"P20D"</bpmn:timeDuration>\n'
        "      </bpmn:timerEventDefinition>\n"
        "    </bpmn:boundaryEvent>\n"
        '    <bpmn:endEvent id="auto_approved" name="Zatwierdzony sam">\n'
        f"      <bpmn:extensionElements><spiffworkflow:properties>{APPROVED}"
        "</spiffworkflow:properties></bpmn:extensionElements>\n"
        "      <bpmn:incoming>flow_auto</bpmn:incoming>\n"
        "    </bpmn:endEvent>\n"
        '    <bpmn:sequenceFlow id="flow_auto" sourceRef="auto_timer" targetRef="auto_approved" />\n'
        '    <bpmn:sequenceFlow id="flow_submitted"',
        1,
    )

    error = refused_deploy(xml, "en")

    assert any(
        "The end event auto_approved has the outcome “approved”, but a path reaches it from auto_timer, where "
        "the request waits for the client's reply" in message
        for message in error.fields["auto_approved"]
    ), error.fields


@pytest.mark.parametrize("standing", [SUBMITTED, Lane.STAFF, Lane.CLIENT])
def test_the_outcomes_the_contract_allows_are_the_ones_the_request_fsm_allows(standing):
    # the deploy rule reads the contract; the request's status machine is what fails at run time
    status = {
        SUBMITTED: RequestStatus.SUBMITTED,
        Lane.STAFF: RequestStatus.IN_REVIEW,
        Lane.CLIENT: RequestStatus.WAITING_FOR_CLIENT,
    }[standing]
    allowed = set()
    for outcome in Outcome:
        request = PortalRequest(status=status)
        try:
            for name in PATHS[OUTCOME_STATUS[outcome]]:
                getattr(request, name)()
        except Exception:
            continue
        allowed.add(outcome)
    assert allowed == set(OUTCOMES_FROM[standing])


# --------------------------------------------------------------------------------------------------
# Validate runs what Deploy runs, and a refusal says what happened


def deleted_client_reply() -> str:
    """The tester's edit: client_reply deleted; bpmn-js reconnects the ask flow to staff_review and removes
    the timers on the task with their paths."""
    xml = PAYMENT_XML.replace(
        '<bpmn:sequenceFlow id="flow_ask_client" name="Poproś klienta o informacje" '
        'sourceRef="decision_gateway" targetRef="client_reply">',
        '<bpmn:sequenceFlow id="flow_ask_client" name="Poproś klienta o informacje" '
        'sourceRef="decision_gateway" targetRef="staff_review">',
    ).replace(
        "<bpmn:incoming>flow_client_replied</bpmn:incoming>",
        "<bpmn:incoming>flow_ask_client</bpmn:incoming>",
    )
    return without(
        xml,
        "client_reply",
        "reminder_timer",
        "cancel_timer",
        "send_reminder",
        "reminder_sent",
        "request_cancelled",
    )


def test_validate_refuses_what_the_test_run_of_a_deploy_refuses_naming_the_missing_task(api_as, analyst):
    xml = deleted_client_reply()

    validated = validate(api_as(analyst), xml)
    error = refused_deploy(xml)

    # Validate no longer says "valid and can be deployed": the test run failed, under the missing task
    assert validated["valid"] is False
    assert "nie można wdrożyć" in validated["message"]
    for messages in (validated["errors"]["client_reply"], error.fields["client_reply"]):
        assert any(
            "Ta wersja nie ma zadania użytkownika client_reply" in message and "staff_review" in message
            for message in messages
        ), messages
    assert "staff_review" not in error.fields
    # and the refusal says what happened: nothing was stored (there was no version to make current)
    assert error.message == (
        "Przebieg testowy nie powiódł się, więc tego diagramu nie można wdrożyć: nie zapisano żadnej wersji."
    )


def test_validate_says_valid_only_for_what_deploy_accepts(api_as, analyst):
    xml = PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku")

    validated = validate(api_as(analyst), xml)

    assert validated == {"valid": True, "process_key": "payment_date_change", "message": "", "errors": {}}
    assert deploy_bpmn_version(xml=xml, by=analyst).number == 2


# --------------------------------------------------------------------------------------------------
# A repeating reminder must end and stay sparse: each repetition mails the client


def reminder_as(cycle: str) -> str:
    """The shipped flow with its reminder set to a cycle in the properties panel."""
    xml = PAYMENT_XML.replace(
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">&quot;P14D&quot;</bpmn:timeDuration>',
        '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">&quot;{cycle}&quot;</bpmn:timeCycle>',
    )
    assert cycle in xml
    return xml


@pytest.mark.parametrize(
    ("cycle", "language", "expected"),
    [
        (
            "R/PT1H",
            "pl",
            'Zegar reminder_timer powtarza się bez końca ("R/PT1H"). Powtarzane przypomnienie dla klienta '
            "może się powtórzyć najwyżej 10 razy, nie częściej niż raz dziennie, np. „R3/P7D”.",
        ),
        (
            "R/P7D",
            "en",
            'The timer reminder_timer repeats without end ("R/P7D"). A repeating reminder to the client may '
            'repeat at most 10 times, at most once a day, e.g. "R3/P7D".',
        ),
        ("R11/P1D", "pl", 'Zegar reminder_timer przypomniałby klientowi 11 razy ("R11/P1D").'),
        (
            "R3/PT12H",
            "en",
            'The timer reminder_timer would remind the client more often than allowed ("R3/PT12H").',
        ),
    ],
)
def test_an_endless_or_dense_reminder_cycle_is_refused_at_the_timer(
    api_as, analyst, cycle, language, expected
):
    xml = reminder_as(cycle)
    analyst.language = language
    analyst.save(update_fields=["language"])

    validated = validate(api_as(analyst), xml)
    error = refused_deploy(xml, language)

    # then Validate and Deploy refuse it under the reminder timer, saying the rule
    assert validated["valid"] is False
    for messages in (validated["errors"]["reminder_timer"], error.fields["reminder_timer"]):
        assert any(message.startswith(expected) for message in messages), messages


def test_a_bounded_weekly_reminder_cycle_deploys(analyst):
    assert deploy_bpmn_version(xml=reminder_as("R3/P7D"), by=analyst).number == 2
