"""Conditions are bounded by construction: the flow editor's Validate refuses an expensive condition at
once, naming the flow and the condition in the analyst's language, and a version stored before the rule
is refused when the condition is evaluated instead of holding the process; a condition's problem is
reported once, with the condition, and a file of several processes says so and lists the rest."""

from __future__ import annotations

import time

import pytest

from tests.editor_walk14.flows import PAYMENT_XML
from workflows import engine

APPROVE = "decision == &quot;approve&quot;"
BOMB = APPROVE + " and sum(range(4*10**8)) &gt;= 0"


def validate(api_as, user, xml: str) -> dict:
    response = api_as(user).post("/api/workflows/validate/", {"bpmn_xml": xml}, format="json")
    assert response.status_code == 200
    return response.json()


def english(user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


def test_validate_refuses_an_expensive_condition_at_once_naming_it(api_as, analyst):
    xml = PAYMENT_XML.replace(APPROVE, BOMB)

    started = time.monotonic()
    validated = validate(api_as, analyst, xml)
    elapsed = time.monotonic() - started

    assert elapsed < 5
    assert validated["valid"] is False
    assert validated["errors"]["flow_approve"] == [
        'Warunku „decision == "approve" and sum(range(4*10**8)) >= 0” nie można użyć: '
        "range(4*10**8) liczy więcej niż 10000 liczb."
    ]
    english(analyst)
    assert validate(api_as, analyst, xml)["errors"]["flow_approve"] == [
        'The condition “decision == "approve" and sum(range(4*10**8)) >= 0” cannot be used: '
        "range(4*10**8) counts more than 10000 numbers."
    ]


@pytest.mark.parametrize(
    "condition",
    [
        "decision == &quot;approve&quot; and 10**10**10 &gt; 0",
        "decision == &quot;approve&quot; and len(&quot;x&quot; * 10**9) &gt; 0",
        "decision == &quot;approve&quot; and open(&quot;/etc/passwd&quot;)",
        "decision == &quot;approve&quot; and decision.ljust(10**9) != &quot;&quot;",
    ],
)
def test_validate_refuses_powers_repetitions_and_functions_it_does_not_offer(api_as, analyst, condition):
    validated = validate(api_as, analyst, PAYMENT_XML.replace(APPROVE, condition))

    [message] = validated["errors"]["flow_approve"]
    assert message.startswith("Warunku „decision ==")
    assert "nie można użyć" in message


def test_a_stored_version_with_an_expensive_condition_is_refused_when_evaluated():
    # given versions stored before the rule: one the check refuses, one only the guard can stop
    for key, condition in [
        ("old-range", BOMB),
        ("old-repeat", APPROVE + " and len(comment * 10**9) &gt; 0"),
    ]:
        process = engine.get_cached_process(key, PAYMENT_XML.replace(APPROVE, condition))
        started = engine.start_instance(process, data={"request_id": 1}, services=engine.no_services)

        # when a request passes the gateway
        began = time.monotonic()
        with pytest.raises(engine.WorkflowError) as refused:
            engine.complete_user_task(
                process,
                started.state,
                started.ready_tasks[0].id,
                {"decision": "approve", "comment": "x"},
                services=engine.no_services,
            )

        # then it is refused at once (an incident), not run
        assert time.monotonic() - began < 5
        assert isinstance(refused.value, engine.UnsafeScriptError)
        assert refused.value.element_id == "decision_gateway"
        assert "10000" in str(refused.value)
    engine.clear_process_cache()


def test_a_syntax_error_in_a_condition_is_one_message_with_the_condition(api_as, analyst):
    xml = PAYMENT_XML.replace(APPROVE, "= approved")

    assert validate(api_as, analyst, xml)["errors"]["flow_approve"] == [
        "Warunku „= approved” nie można użyć: błąd składni w kolumnie 1."
    ]
    english(analyst)
    assert validate(api_as, analyst, xml)["errors"]["flow_approve"] == [
        "The condition “= approved” cannot be used: a syntax error at column 1."
    ]


def test_a_python_function_read_as_a_value_is_called_a_function_not_a_variable(api_as, analyst):
    xml = PAYMENT_XML.replace(APPROVE, "decision == getattr")

    [message] = validate(api_as, analyst, xml)["errors"]["flow_approve"]

    assert message.startswith("Wyrażenie używa funkcji Pythona getattr, której warunki i skrypty nie mogą")
    assert "zmiennej" not in message


def test_a_file_of_several_processes_says_so_and_lists_the_problems_of_the_first(api_as, analyst):
    second = '<bpmn:process id="other_flow" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process>'
    xml = PAYMENT_XML.replace(APPROVE, "= approved").replace(
        "<bpmndi:BPMNDiagram", second + "<bpmndi:BPMNDiagram", 1
    )

    errors = validate(api_as, analyst, xml)["errors"]

    [several] = errors["bpmn"]
    assert several.startswith(
        "Plik zawiera 2 procesy wykonywalne: payment_date_change (pula „Zmiana daty płatności raty”), other_flow."
    )
    assert "usuń pozostałe pule" in several
    assert errors["flow_approve"] == ["Warunku „= approved” nie można użyć: błąd składni w kolumnie 1."]


def test_a_file_that_is_not_xml_is_told_in_the_analysts_words(api_as, analyst):
    assert validate(api_as, analyst, "<bpmn:definitions")["errors"]["bpmn"] == [
        "Nie można odczytać pliku: XML urywa się lub jest błędny w wierszu 1, kolumna 18."
    ]
