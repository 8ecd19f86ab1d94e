"""The engine facade without Django: parsing, validation, running, timers, spec-less state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import translation

from workflows import engine, forms

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
MIWG_DIR = Path("/work/shared/bpmn-miwg/reference")
PAYMENT = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
KNOWN_SERVICES = {
    "apply_payment_date_change",
    "apply_contract_value_change",
    "apply_schedule_change",
    "apply_client_data_change",
    "record_staff_answer",
    "send_client_reminder",
    "generate_decision_document",
    # the permit to go abroad (backend/permits/effects.py)
    "collect_permit_facts",
    "record_permit_rule_failure",
    "issue_vehicle_permit",
    # the buyout / early termination quote (backend/requests_app/buyout_effects.py)
    "reserve_buyout_quote",
    "record_buyout_counter",
    "read_buyout_response",
    "release_buyout_quote",
    "apply_early_termination",
    # the complaint's statutory clock (backend/requests_app/complaints.py)
    "extend_complaint_deadline",
    "escalate_complaint",
    "complaint_deadline_passed",
    "complaint_reply_missed",
}


def form_exists(key: str) -> bool:
    return forms.form_exists(key)  # the kind's own file or the shared one (bpmn/forms/shared/)


class RecordingServices:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, name, params, data):
        self.calls.append((name, params))
        return {"called": name}


@pytest.fixture(autouse=True)
def _english():
    """These tests check what a message names, not its language (that has its own tests below)."""
    with translation.override("en"):
        yield


def problems_of(xml: str, **kwargs) -> dict[str, str]:
    with pytest.raises(engine.BpmnValidationError) as caught:
        engine.parse_bpmn(xml, **kwargs)
    return {p.element_id: p.message for p in caught.value.problems}


@pytest.mark.parametrize("path", sorted(BPMN_DIR.glob("*.bpmn")), ids=lambda p: p.stem)
def test_builtin_processes_pass_every_check(path):
    # when
    from workflows.dmn import tables_for_deploy

    xml = path.read_text(encoding="utf-8")
    # with the DMN tables its business-rule tasks call (bpmn/dmn/), as a deploy hands them over
    process = engine.parse_bpmn(
        xml, form_exists=form_exists, known_services=KNOWN_SERVICES, dmn=tables_for_deploy(xml)
    )

    # then
    assert process.process_key == path.stem
    assert {t.name: t.lane for t in process.user_tasks.values()} == {
        "staff_review": "Staff",
        "client_reply": "Client",
    }
    assert process.user_tasks["staff_review"].form_key == f"{path.stem}/staff_review"
    assert process.user_tasks["staff_review"].title_pl == "Weryfikacja przez BOK"
    assert process.user_tasks["staff_review"].title_en == "Review by customer service"
    assert "generate_decision_document" in process.service_operations.values()
    assert "<bpmndi:BPMNDiagram" in path.read_text(encoding="utf-8")


def test_user_task_without_form_is_named():
    xml = PAYMENT.replace(
        '<spiffworkflow:property name="formKey" value="payment_date_change/staff_review" />', ""
    )
    assert "no form" in problems_of(xml)["staff_review"]


def test_form_that_does_not_exist_is_named():
    xml = PAYMENT.replace("payment_date_change/staff_review", "payment_date_change/missing")
    assert "does not exist" in problems_of(xml, form_exists=form_exists)["staff_review"]


def test_user_task_outside_the_three_lanes_is_named():
    xml = PAYMENT.replace('name="Client"', 'name="Klient"')
    assert "lane" in problems_of(xml)["client_reply"]


def test_gateway_without_default_or_conditions_is_named():
    start = PAYMENT.index('<bpmn:sequenceFlow id="flow_reject"')
    condition_start = PAYMENT.index("<bpmn:conditionExpression", start)
    condition_end = PAYMENT.index("</bpmn:conditionExpression>", start) + len("</bpmn:conditionExpression>")
    xml = PAYMENT[:condition_start] + PAYMENT[condition_end:]
    message = problems_of(xml)["decision_gateway"]
    assert "flow_reject" in message


@pytest.mark.parametrize("expression", ["P14D", "&quot;P14X&quot;", "&quot;&quot;", "14"])
def test_invalid_timer_expression_is_named(expression):
    xml = PAYMENT.replace("&quot;P14D&quot;", expression)
    assert "timer" in problems_of(xml)["reminder_timer"].lower()


def test_unknown_service_function_is_named():
    xml = PAYMENT.replace('id="apply_payment_date_change"', 'id="transfer_money"')
    assert "transfer_money" in problems_of(xml, known_services=KNOWN_SERVICES)["apply_change"]


def test_unsafe_condition_is_named():
    xml = PAYMENT.replace(
        "decision == &quot;approve&quot;", "__import__(&quot;os&quot;).system(&quot;id&quot;)"
    )
    assert "not allowed" in problems_of(xml)["flow_approve"]


def test_schema_violation_names_the_element_and_line():
    xml = PAYMENT.replace(
        '<bpmn:userTask id="client_reply"', '<bpmn:bogus id="strange" /><bpmn:userTask id="client_reply"'
    )
    with pytest.raises(engine.BpmnValidationError) as caught:
        engine.parse_bpmn(xml)
    problem = caught.value.problems[0]
    assert problem.line
    assert problem.element_id
    assert "schema" in problem.message


def test_not_xml_is_a_clear_error():
    problems = problems_of("<bpmn:definitions")
    assert "the XML breaks off or is malformed at line 1" in problems[""]


@pytest.mark.parametrize("path", sorted(MIWG_DIR.glob("*.bpmn")), ids=lambda p: p.name)
def test_miwg_reference_files_parse_or_are_rejected_clearly(path):
    """Third-party files never crash the facade: with or without the portal's own rules."""
    xml = path.read_bytes()
    for portal_rules in (True, False):
        try:
            process = engine.parse_bpmn(xml, portal_rules=portal_rules)
        except engine.BpmnValidationError as exc:
            assert exc.problems
            assert all(p.message for p in exc.problems)
        else:
            assert process.process_key


def test_whole_process_runs_without_django():
    # given
    services = RecordingServices()
    process = engine.parse_bpmn(PAYMENT)

    # when
    started = engine.start_instance(process, data={"request_id": 7}, services=services)
    asked = engine.complete_user_task(
        process,
        started.state,
        started.ready_tasks[0].id,
        {"decision": "ask_client", "question": "?"},
        services=services,
    )
    replied = engine.complete_user_task(
        process, asked.state, asked.ready_tasks[0].id, {"message": "Ok"}, services=services
    )
    done = engine.complete_user_task(
        process, replied.state, replied.ready_tasks[0].id, {"decision": "approve"}, services=services
    )

    # then
    assert (started.stage, started.waiting_for) == ("staff_review", "staff")
    assert (asked.stage, asked.waiting_for) == ("client_reply", "client")
    assert replied.stage == "staff_review"
    assert done.completed and done.stage == "request_approved"
    assert [name for name, _ in services.calls] == ["apply_payment_date_change", "generate_decision_document"]
    assert services.calls[1][1] == {"outcome": "approved"}
    assert done.ran[-3:] == ["apply_change", "issue_decision_document", "request_approved"]


def test_completing_a_task_twice_is_refused():
    process = engine.parse_bpmn(PAYMENT)
    started = engine.start_instance(process, data={}, services=RecordingServices())
    task_id = started.ready_tasks[0].id
    engine.complete_user_task(
        process, started.state, task_id, {"decision": "reject", "reason": "Nie"}, services=RecordingServices()
    )
    after = engine.complete_user_task(
        process, started.state, task_id, {"decision": "reject", "reason": "Nie"}, services=RecordingServices()
    )
    with pytest.raises(engine.TaskNotReadyError):
        engine.complete_user_task(
            process, after.state, task_id, {"decision": "approve"}, services=RecordingServices()
        )


def test_scripts_have_no_dangerous_builtins():
    # given a condition calling open() in a version stored before deploy refused it
    xml = PAYMENT.replace(
        "decision == &quot;approve&quot;", "open(&quot;/etc/passwd&quot;) and decision == &quot;approve&quot;"
    )
    process = engine.parse_bpmn(xml, portal_rules=False)
    started = engine.start_instance(process, data={}, services=RecordingServices())

    # when / then
    with pytest.raises(engine.WorkflowError) as caught:
        engine.complete_user_task(process, started.state, started.ready_tasks[0].id, {"decision": "approve"})
    assert "open" in str(caught.value)


def test_problems_are_in_the_active_language_with_the_line():
    # given a task naming a form that does not exist
    xml = PAYMENT.replace("payment_date_change/staff_review", "payment_date_change/missing")

    # when
    with translation.override("pl"), pytest.raises(engine.BpmnValidationError) as polish:
        engine.parse_bpmn(xml, form_exists=form_exists)
    with pytest.raises(engine.BpmnValidationError) as english:
        engine.parse_bpmn(xml, form_exists=form_exists)

    # then
    [pl_problem] = polish.value.problems
    [en_problem] = english.value.problems
    assert pl_problem.element_id == en_problem.element_id == "staff_review"
    assert pl_problem.message == "Formularz „payment_date_change/missing” nie istnieje w bpmn/forms."
    assert en_problem.message == 'The form "payment_date_change/missing" does not exist in bpmn/forms.'
    line = en_problem.line
    assert line
    with translation.override("pl"):
        assert str(pl_problem) == f"[staff_review] {pl_problem.message} (wiersz {line})"
    assert str(en_problem) == f"[staff_review] {en_problem.message} (line {line})"


def test_timer_problem_translates_the_frame_and_the_reason():
    xml = PAYMENT.replace("&quot;P14D&quot;", "&quot;P14X&quot;")
    with translation.override("pl"):
        problem = problems_of(xml)["reminder_timer"]
    assert problem == (
        "Nieprawidłowe zdarzenie czasowe: wyrażenie czasowe „P14X” nie jest poprawnym czasem trwania "
        "ani datą w formacie ISO-8601."
    )


def test_xml_syntax_error_is_told_in_the_analysts_words_with_where():
    # libxml2's own text is English ("Couldn't find end of Start Tag"): the position is said instead
    with translation.override("pl"):
        problem = problems_of("<bpmn:definitions")[""]
    with translation.override("en"):
        english = problems_of("<bpmn:definitions")[""]
    assert problem == "Nie można odczytać pliku: XML urywa się lub jest błędny w wierszu 1, kolumna 18."
    assert english == "The file cannot be read: the XML breaks off or is malformed at line 1, column 18."


def test_cached_script_check_answers_in_each_callers_language():
    # given the same unsafe source checked first in English (the check is cached per source)
    source = "import os  # language cache probe"
    with pytest.raises(engine.UnsafeScriptError) as english:
        engine.check_script_safety(source, element_id="flow_x")

    # when it is checked again in Polish
    with translation.override("pl"), pytest.raises(engine.UnsafeScriptError) as polish:
        engine.check_script_safety(source, element_id="flow_x")

    # then
    assert str(english.value) == "[flow_x] The script cannot be used: imports are not allowed."
    assert str(polish.value) == "[flow_x] Skryptu nie można użyć: importy nie są dozwolone."


def test_check_script_safety_rejects_imports_and_dunders():
    for source in ("import os", "from os import path", "x.__class__", "__builtins__"):
        with pytest.raises(engine.UnsafeScriptError):
            engine.check_script_safety(source)
    engine.check_script_safety('decision == "approve" and len(reason) > 2')


def test_state_is_stored_without_the_spec_and_round_trips():
    # given
    process = engine.parse_bpmn(PAYMENT)
    started = engine.start_instance(process, data={"request_id": 1}, services=RecordingServices())

    # when
    text = json.dumps(started.state)
    restored = engine.describe(process, json.loads(text))

    # then
    assert "spec" not in started.state
    assert "subprocess_specs" not in started.state
    assert "bpmn_xml" not in text and "Weryfikacja przez BOK" not in text
    assert restored.stage == "staff_review"
    assert restored.ready_tasks[0].id == started.ready_tasks[0].id
    assert restored.state == started.state


def test_timers_report_their_due_time_and_fire_when_due():
    # given
    process = engine.parse_bpmn(PAYMENT)
    services = RecordingServices()
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False) as traveller:
        started = engine.start_instance(process, data={}, services=services)
        asked = engine.complete_user_task(
            process, started.state, started.ready_tasks[0].id, {"decision": "ask_client"}, services=services
        )
        assert started.next_timer_due is None
        assert asked.next_timer_due == now + timedelta(days=14)

        # when not yet due
        traveller.shift(timedelta(days=13, hours=23))
        early = engine.fire_due_timers(process, asked.state, services=services)
        assert early.ran == []

        # when the reminder is due
        traveller.shift(timedelta(hours=2))
        reminded = engine.fire_due_timers(process, asked.state, services=services)
        assert reminded.ran == ["reminder_timer", "send_reminder", "reminder_sent"]
        assert reminded.stage == "client_reply"
        assert reminded.next_timer_due == now + timedelta(days=30)

        # when the deadline passes
        traveller.shift(timedelta(days=17))
        expired = engine.fire_due_timers(process, reminded.state, services=services)
        assert expired.stage == "request_cancelled"
        assert expired.completed
        assert [name for name, _ in services.calls] == ["send_client_reminder"]


def test_a_late_cycle_fires_once_by_the_given_clock_and_goes_on_from_its_next_occurrence():
    # given the reminder as a cycle R3/P7D, the client asked on 1 March
    xsi = 'xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    xml = PAYMENT.replace(
        f"<bpmn:timeDuration {xsi}>&quot;P14D&quot;</bpmn:timeDuration>",
        f"<bpmn:timeCycle {xsi}>&quot;R3/P7D&quot;</bpmn:timeCycle>",
    )
    process = engine.parse_bpmn(xml)
    services = RecordingServices()
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False) as traveller:
        started = engine.start_instance(process, data={}, services=services)
        asked = engine.complete_user_task(
            process, started.state, started.ready_tasks[0].id, {"decision": "ask_client"}, services=services
        )
        # the engine's own clock stays on day 1: only the clock it is given moves
        traveller.shift(timedelta(days=1))

        # when the timers are fired only on day 15 (two occurrences missed)
        late = engine.fire_due_timers(process, asked.state, now=now + timedelta(days=15), services=services)

        # then the client is reminded once, and the cycle goes on from day 21
        assert [name for name, _ in services.calls] == ["send_client_reminder"]
        assert late.stage == "client_reply"
        assert late.next_timer_due == now + timedelta(days=21)
        again = engine.fire_due_timers(
            process, late.state, now=now + timedelta(days=15, hours=1), services=services
        )
        assert again.ran == [] and len(services.calls) == 1
        # and its third and last occurrence comes on day 21; the 30-day cancel is next
        last = engine.fire_due_timers(
            process, again.state, now=now + timedelta(days=21, minutes=1), services=services
        )
        assert len(services.calls) == 2
        assert last.next_timer_due == now + timedelta(days=30)


def test_cancel_ends_the_instance():
    process = engine.parse_bpmn(PAYMENT)
    started = engine.start_instance(process, data={})
    cancelled = engine.cancel_instance(process, started.state)
    assert cancelled.cancelled and cancelled.completed and cancelled.stage == "cancelled"
    assert cancelled.ready_tasks == []


def test_parsed_specs_are_cached_per_version_key():
    engine.clear_process_cache()
    first = engine.get_cached_process(("v", 1), PAYMENT)
    assert engine.get_cached_process(("v", 1), "ignored once cached") is first


def test_state_restores_whatever_the_key_order_of_the_stored_json():
    """PostgreSQL's jsonb reorders object keys; task data must survive it."""
    # given
    process = engine.parse_bpmn(PAYMENT)
    started = engine.start_instance(process, data={"request_id": 42}, services=RecordingServices())
    scrambled = dict(started.state)
    scrambled["tasks"] = dict(reversed(list(started.state["tasks"].items())))

    # when
    services = RecordingServices()
    seen = []

    def capture(name, params, data):
        seen.append(data.get("request_id"))
        return services(name, params, data)

    done = engine.complete_user_task(
        process, scrambled, started.ready_tasks[0].id, {"decision": "approve"}, services=capture
    )

    # then
    assert done.stage == "request_approved"
    assert seen == [42, 42]
