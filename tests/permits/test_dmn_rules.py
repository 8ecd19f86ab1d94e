"""The permit rules are the DMN table bpmn/dmn/vehicle_abroad_permit.dmn, run by the real BPMN.

Each case starts the shipped process with the facts a service task would collect and checks where the
business-rule task sends it: all rules pass → the permit is issued at once (approved, no staff task);
any fails → staff review, with every failed rule's code and message in the task data (hit policy
COLLECT: each output a list, ending with the always-matching rule's values).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows import dmn, engine

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
XML = (BPMN_DIR / "vehicle_abroad_permit.bpmn").read_text(encoding="utf-8")
DMN = (BPMN_DIR / "dmn" / "vehicle_abroad_permit.dmn").read_text(encoding="utf-8")
PASSING = {
    "countries": ["DE", "CZ", "AT"],
    "policy_countries": ["AT", "CZ", "DE", "PL", "SK"],
    "contract_status": "active",
    "overdue_invoices": 0,
    "within_contract": True,
    "days": 14,
}


def start(facts: dict, table: str = DMN) -> tuple[engine.StepResult, list[str]]:
    process = engine.parse_bpmn(XML, dmn={"vehicle_abroad_permit": table})
    calls: list[str] = []

    def services(name: str, params: dict, data: dict) -> dict:
        calls.append(name)
        return facts if name == "collect_permit_facts" else {}

    result = engine.start_instance(
        process, data={"request_id": 1, "kind": "vehicle_abroad_permit"}, services=services
    )
    return result, calls


def test_all_rules_pass_issue_the_permit_at_once():
    result, calls = start(PASSING)
    assert result.completed and result.outcome == "approved"
    assert calls == ["collect_permit_facts", "issue_vehicle_permit"]
    assert result.data["allowed"] == [True]
    assert result.data["failed_rule"] == [""]


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"countries": ["DE", "RU"]}, "country_not_allowed"),
        ({"countries": ["BY"]}, "country_not_allowed"),
        ({"countries": ["UA"]}, "country_not_allowed"),
        ({"countries": []}, "country_not_allowed"),
        ({"countries": ["RS"], "policy_countries": ["PL", "DE"]}, "outside_policy_scope"),
        ({"policy_countries": ["PL"]}, "outside_policy_scope"),
        # the policy ends before the return: its end is the reason, not its territorial scope
        ({"policy_countries": [], "policy_ends_before_return": True}, "policy_ends_before_return"),
        ({"contract_status": "closed"}, "contract_not_active"),
        ({"contract_status": "terminated"}, "contract_not_active"),
        ({"overdue_invoices": 1}, "overdue_invoices"),
        ({"within_contract": False}, "dates_outside_contract"),
        ({"days": 91}, "too_long"),
    ],
)
def test_each_failed_rule_goes_to_staff_named(change, rule):
    result, calls = start({**PASSING, **change})
    assert not result.completed
    assert result.stage == "staff_review" and result.waiting_for == "staff"
    assert result.data["allowed"][0] is False
    assert result.data["failed_rule"][0] == rule
    assert result.data["failed_message"][0] and result.data["failed_message_en"][0]
    assert calls == ["collect_permit_facts", "record_permit_rule_failure"]


@pytest.mark.parametrize(("days", "completed"), [(1, True), (90, True), (91, False)])
def test_the_longest_stay_is_90_days(days, completed):
    result, _calls = start({**PASSING, "days": days})
    assert result.completed is completed


def test_every_failing_rule_is_named_when_several_fail():
    # COLLECT hit policy: every rule that fails, in the table's order (staff must see them all)
    result, _calls = start({**PASSING, "contract_status": "closed", "overdue_invoices": 3, "days": 120})
    assert result.stage == "staff_review"
    assert result.data["failed_rule"] == ["contract_not_active", "overdue_invoices", "too_long", ""]


def test_a_policy_ending_before_the_return_is_named_once_not_as_its_scope_too():
    result, _calls = start({**PASSING, "policy_countries": [], "policy_ends_before_return": True})
    assert result.data["failed_rule"] == ["policy_ends_before_return", ""]


def test_a_version_deployed_with_a_first_table_still_decides():
    # version 1 of a running portal keeps the FIRST table it was deployed with: the gateway reads both
    first = DMN.replace('hitPolicy="COLLECT"', 'hitPolicy="FIRST"')
    assert first != DMN
    assert start(PASSING, first)[0].outcome == "approved"
    held, calls = start({**PASSING, "overdue_invoices": 1, "days": 91}, first)
    assert held.stage == "staff_review" and held.data["failed_rule"] == "overdue_invoices"
    assert calls == ["collect_permit_facts", "record_permit_rule_failure"]


def test_missing_facts_never_pass():
    # e.g. the deploy test run's stand-in service: nothing known → a rule fails, staff decide
    result, _calls = start({"simulated": True})
    assert result.stage == "staff_review"
    assert False in result.data["allowed"]


def test_an_analyst_edit_of_the_table_changes_the_decision():
    # given the table with Serbia taken off the allowed list
    edited = DMN.replace("&quot;RS&quot;, ", "")
    assert edited != DMN
    facts = {**PASSING, "countries": ["RS"], "policy_countries": ["RS", "PL"]}
    # then the same facts pass with the shipped table and fail with the edited one
    assert start(facts)[0].outcome == "approved"
    assert start(facts, edited)[0].data["failed_rule"][0] == "country_not_allowed"


def test_the_table_reads_as_plain_data_for_analysts():
    table = dmn.read_table(DMN)
    assert table.decision_id == "vehicle_abroad_permit"
    assert table.hit_policy == "COLLECT"
    assert table.output_names == ("allowed", "failed_rule", "failed_message", "failed_message_en")
    assert [rule.outputs[1] for rule in table.rules] == [
        '"country_not_allowed"',
        '"policy_ends_before_return"',
        '"outside_policy_scope"',
        '"contract_not_active"',
        '"overdue_invoices"',
        '"dates_outside_contract"',
        '"too_long"',
        '""',
    ]
    assert dmn.dmn_problems(DMN) == []
