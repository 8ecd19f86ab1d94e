"""Walk 32, part 1: every BPMN file of other modelling tools (the BPMN MIWG reference set) and mutilated
ones, through each API the analyst's editor calls, in Polish and in English: a refusal in the API's error
shape keyed by the element at fault, in the analyst's language, never a 500, answered quickly.

The engine-level check of the same files is tests/workflows_deploy/test_deploy_refusals.py; this one goes
through HTTP, as the editor does (validate, test run, deploy, "already deployed?")."""

from __future__ import annotations

import time

import pytest

from backend.accounts.models import User
from tests.analyst_walk32 import foreign
from tests.factories import UserFactory
from workflows.deploy_graph import ProcessGraph
from workflows.engine.parsing import MAX_PROCESS_ELEMENTS
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db

VALIDATE = "/api/workflows/validate/"
DEPLOY = "/api/workflows/versions/"
TEST_RUN = "/api/workflows/test-run/"
DEPLOYED = "/api/workflows/versions/deployed-content/"
# A refusal must not hold a web worker: the slowest of these files takes ~0.1 s on an idle machine and took
# 21–58 s before the bounds; 5 s leaves room for a busy host (1 s failed once beside four other test runs).
SECONDS = 5.0


@pytest.fixture
def analysts(analyst) -> dict[str, User]:
    return {
        "pl": analyst,
        "en": UserFactory(email="analyst.en@leasing.example", role=User.Role.ANALYST, language="en"),
    }


def answers(api_as, analysts, xml: str, process_key: str | None = None) -> dict[tuple[str, str], tuple]:
    """(language, endpoint) → (status, body, seconds) of each entry point of the editor."""
    body = {"bpmn_xml": xml, **({"process_key": process_key} if process_key else {})}
    found = {}
    for language, user in analysts.items():
        api = api_as(user)
        for endpoint in (VALIDATE, TEST_RUN, DEPLOY, DEPLOYED):
            started = time.monotonic()
            response = api.post(endpoint, body, format="json")
            found[language, endpoint] = (response.status_code, response.json(), time.monotonic() - started)
    return found


def refusals(found) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """language → (message, problems by element) of the refusals, checked to agree across entry points."""
    by_language = {}
    for language in ("pl", "en"):
        status, validated, _ = found[language, VALIDATE]
        assert status == 200 and validated["valid"] is False, validated
        assert validated["message"] and validated["errors"], validated
        for endpoint in (TEST_RUN, DEPLOY):
            status, body, _ = found[language, endpoint]
            assert status == 400, (endpoint, body)
            assert set(body) == {"code", "message", "fields"} and body["code"] == "invalid", body
            # the same problems, keyed by the same elements, as Validate lists them
            assert body["fields"] == validated["errors"], endpoint
        status, body, _ = found[language, DEPLOYED]
        assert (status, body) == (200, {"version": None})
        by_language[language] = (validated["message"], validated["errors"])
    return by_language


def assert_translated(by_language) -> None:
    """Every message reads differently in Polish and English (none is an untranslated engine text), and
    both languages name the same elements."""
    (pl_message, pl_errors), (en_message, en_errors) = by_language["pl"], by_language["en"]
    assert pl_message != en_message
    assert list(pl_errors) == list(en_errors)
    for key, messages in pl_errors.items():
        assert all(message.strip() for message in messages), key
        assert messages != en_errors[key], (key, messages)
    every = " ".join(message for errors in (pl_errors, en_errors) for m in errors.values() for message in m)
    for raw in ("Error(", "Exception", "Traceback", "lxml", "xmlschema", "{http"):
        assert raw not in every, raw


def assert_quick(found) -> None:
    slow = {key: round(seconds, 2) for key, (_, _, seconds) in found.items() if seconds > SECONDS}
    assert not slow, slow


@pytest.mark.skipif(not foreign.MIWG_FILES, reason="the BPMN MIWG reference files are not on this machine")
@pytest.mark.parametrize("path", foreign.MIWG_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("process_key", [None, foreign.KEY], ids=["any-flow", "payment-editor"])
def test_miwg_file_is_refused_in_both_languages_by_every_entry_point(api_as, analysts, path, process_key):
    found = answers(api_as, analysts, path.read_text(encoding="utf-8"), process_key)

    by_language = refusals(found)

    assert_translated(by_language)
    assert_quick(found)
    # each problem is keyed by an element of the file (or by the file itself: "bpmn")
    xml = path.read_text(encoding="utf-8")
    for key in by_language["en"][1]:
        assert key == "bpmn" or f'"{key}"' in xml, key
    assert not ProcessVersion.objects.filter(deployed_by__in=analysts.values()).exists()


REFUSED = {
    "truncated": (foreign.truncated, "bpmn", "line 152"),
    "wrong_namespace": (foreign.wrong_namespace, "bpmn", "bpmn:definitions"),
    "collaboration_without_processes": (foreign.collaboration_without_processes, "bpmn", "no BPMN process"),
    "utf16_declared": (foreign.utf16_declared, "bpmn", "line 1"),
    "entity_expansion": (foreign.entity_expansion, "bpmn", "entities"),
    "external_entity": (foreign.external_entity, "bpmn", "entities"),
    "deep_nesting": (foreign.deep_nesting, "bpmn", "line 32"),
    "blank": (foreign.empty, "bpmn", "cannot be read"),
    "another_request_types_id": (
        foreign.payment_as_permit,
        "staff_review",
        "vehicle_abroad_permit/staff_review",
    ),
    "tasks_2000_script": (foreign.many_tasks, foreign.KEY, "too large"),
    "tasks_2000_plain": (lambda: foreign.many_tasks(tag="task", body=""), foreign.KEY, "too large"),
    # 20 branches joined, split again into 20: the engine would track 400 runs (5 s, 3 blocks a minute)
    "parallel_20_then_20": (lambda: foreign.parallel_blocks(2, 20), "join_1", "400 runs"),
    "parallel_150": (foreign.parallel_blocks, "join_0", "150 runs"),
    "parallel_2_twelve_times": (lambda: foreign.parallel_blocks(12, 2), "join_5", "64 runs"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_mutilated_file_is_refused_in_both_languages_naming_where(api_as, analysts, name):
    make, where, says = REFUSED[name]

    found = answers(api_as, analysts, make())

    by_language = refusals(found)
    assert_translated(by_language)
    assert_quick(found)
    assert where in by_language["en"][1]
    assert says in " ".join(by_language["en"][1][where])


def test_a_file_over_the_size_limit_is_refused_beside_the_diagram_in_both_languages(api_as, analysts):
    found = answers(api_as, analysts, foreign.five_megabytes())

    for (language, endpoint), (status, body, _seconds) in found.items():
        assert status == 400, (endpoint, body)
        assert set(body) == {"code", "message", "fields"} and list(body["fields"]) == ["bpmn_xml"]
        assert body["fields"]["bpmn_xml"] == [
            "Diagram jest za duży: może mieć najwyżej 2 MB."
            if language == "pl"
            else "The diagram is too large: it may hold at most 2 MB."
        ]
    assert_quick(found)


def test_a_flow_of_another_request_type_in_this_flows_editor_is_refused_naming_both(api_as, analysts):
    found = answers(api_as, analysts, foreign.permit_flow(), process_key=foreign.KEY)

    by_language = refusals(found)

    assert_translated(by_language)
    message = by_language["en"][1]["vehicle_abroad_permit"][0]
    assert "vehicle_abroad_permit" in message and foreign.KEY in message
    assert not ProcessVersion.objects.filter(process_key="vehicle_abroad_permit", number__gt=1).exists()


def test_a_process_too_large_for_the_engine_is_refused_in_one_message_not_one_per_element(api_as, analysts):
    # given 2 000 plain tasks (a type the portal does not run): without the bound, 2 000 problems
    found = answers(api_as, analysts, foreign.many_tasks(tag="task", body=""))

    by_language = refusals(found)

    assert by_language["pl"][1] == {
        foreign.KEY: [
            "Proces jest za duży dla portalu: elementów (zadań, zdarzeń, bramek i przepływów) jest w nim 4039, "
            f"a może być najwyżej {MAX_PROCESS_ELEMENTS}. Podziel go albo usuń elementy, których jego wnioski "
            "nie potrzebują."
        ]
    }


def test_a_long_chain_within_the_bound_is_read_by_the_engine(api_as, analysts):
    # given the longest chain of script tasks the bound lets through (each task brings its flow)
    count = (MAX_PROCESS_ELEMENTS - 39) // 2  # the flow itself holds 39
    xml = foreign.many_tasks(count)

    validated = api_as(analysts["en"]).post(VALIDATE, {"bpmn_xml": xml}, format="json").json()

    # then the engine reads it (no recursion error); only the test run's step budget stops its paths
    every = " ".join(message for messages in validated["errors"].values() for message in messages)
    assert "recursion" not in every.lower() and "cannot read" not in every, every
    assert "automatic steps" in every


def test_the_reading_order_of_a_large_diagram_is_linear():
    # a refusal is ordered along the flow (deployment._in_reading_order); it once took seconds at 2 000 tasks
    from lxml import etree

    root = etree.fromstring(foreign.many_tasks(4000).encode())
    graph = ProcessGraph(root.find(f"{{{foreign.BPMN_NS}}}process"))

    started = time.monotonic()
    order = graph.reading_order()
    cycles = graph.cycles()

    assert time.monotonic() - started < 0.5
    assert order[:3] == ["start_event", "flow_submitted", "step_0"]
    assert any("staff_review" in cycle for cycle in cycles)  # the client's reply loops back to the review


def test_parallel_branches_within_the_bound_deploy(api_as, analysts):
    # twenty branches joined once: 20 runs of the join, the test run passes
    validated = api_as(analysts["en"]).post(
        VALIDATE, {"bpmn_xml": foreign.parallel_blocks(1, 20), "process_key": foreign.KEY}, format="json"
    )

    assert validated.json() == {"valid": True, "process_key": foreign.KEY, "message": "", "errors": {}}


def test_too_many_parallel_runs_are_named_where_the_branches_meet_not_after():
    # an exclusive choice reaches the review in two steps, or through 60 parallel branches joined: the review
    # is nearer the start than the join, yet the join is where the runs multiply (it was the review)
    from lxml import etree

    from workflows.deploy_rules import check_parallel_runs

    branches = "".join(
        f'<bpmn:scriptTask id="b{n}" /><bpmn:sequenceFlow id="f{n}" sourceRef="fork" targetRef="b{n}" />'
        f'<bpmn:sequenceFlow id="g{n}" sourceRef="b{n}" targetRef="join" />'
        for n in range(60)
    )
    process = etree.fromstring(
        f'<bpmn:process xmlns:bpmn="{foreign.BPMN_NS}" id="p"><bpmn:startEvent id="start" />'
        '<bpmn:exclusiveGateway id="choice" /><bpmn:task id="short" /><bpmn:parallelGateway id="fork" />'
        '<bpmn:parallelGateway id="join" /><bpmn:userTask id="review" />'
        '<bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="choice" />'
        '<bpmn:sequenceFlow id="s1" sourceRef="choice" targetRef="short" />'
        '<bpmn:sequenceFlow id="s2" sourceRef="short" targetRef="review" />'
        '<bpmn:sequenceFlow id="s3" sourceRef="choice" targetRef="fork" />'
        f'{branches}<bpmn:sequenceFlow id="s4" sourceRef="join" targetRef="review" /></bpmn:process>'
    )

    [problem] = check_parallel_runs(ProcessGraph(process))

    assert problem.element_id == "join"
    assert " 60 " in problem.message
