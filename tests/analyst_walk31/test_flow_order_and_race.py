"""The analyst's refusals and moves after the walk of session 31: the elements a move lacks and the tasks a
dry run adds or removes are named in the order of the flow (as the diagram reads), not by id; the engine's
split and join around a task with boundary events are known by their class, not their name; and a batch
move sent from a list that emptied meanwhile says so instead of a page without the form."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from backend.requests_app import services as request_services
from backend.requests_app import task_hands
from backend.requests_app.models import PortalRequest
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows.test_services import MINIMAL_V2, PAYMENT_XML, store_untested_version
from workflows import engine, versioning
from workflows.deployment import bpmn_problems_error
from workflows.engine.migration import _bpmn_element
from workflows.models import ProcessInstance
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"
LIST = f"/analyst/flows/{KEY}/migrations/"
BATCH = f"{LIST}batch/"


@pytest.fixture
def waiting(client_user, acme, bok_staff) -> PortalRequest:
    """A request on version 1 waiting for the client's reply (it passed the decision gateway)."""
    portal_request = submit_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    request_services.complete_staff_task(
        staff=bok_staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Dokumenty?"},
        attachment_ids=[],
    )
    return portal_request


def test_the_elements_a_move_lacks_are_named_in_the_flow_order(waiting):
    v2 = store_untested_version(MINIMAL_V2)

    with translation.override("en"):
        row = versioning.dry_run_instance(waiting.process_instance, v2)

    # the gateway, then the task waiting after it, then its timers (14 days before 30): the diagram's order
    assert row["reason"] == (
        "The new version lacks elements this request has already reached: “Decyzja?”, "
        "“Oczekuje na odpowiedź klienta”, “Po 14 dniach bez odpowiedzi”, “Po 30 dniach bez odpowiedzi”."
    )
    # the element the refusal locates is the first of them as read
    assert row["element_id"] == "decision_gateway"


def renamed_tasks_version():
    """payment_date_change with both user tasks given new ids whose alphabetical order is not the flow's
    (staff's review comes before the client's reply)."""
    xml = re.sub(r"\bstaff_review\b", "z_review", PAYMENT_XML)
    xml = re.sub(r"\bclient_reply\b", "a_reply", xml)
    version = store_untested_version(xml)
    version.checksum = "untested: renamed tasks"  # parsed specs are cached by (id, checksum)
    version.save(update_fields=["checksum"])
    return version


def test_the_tasks_a_dry_run_adds_and_removes_are_in_the_flow_order(client_user, acme):
    portal_request = submit_request(client_user, acme)
    renamed = renamed_tasks_version()

    row = versioning.dry_run_instance(portal_request.process_instance, renamed)

    assert row["tasks_removed"] == ["staff_review", "client_reply"]
    assert row["tasks_added"] == ["z_review", "a_reply"]


def test_the_boundary_split_and_join_stand_for_their_task_whatever_their_names():
    process = engine.parse_bpmn(PAYMENT_XML)
    specs = process.spec.task_specs
    split, join = specs["client_reply.BoundaryEventSplit"], specs["client_reply.BoundaryEventJoin"]

    # named otherwise (the suffix is SpiffWorkflow's habit, not a promise), they are still client_reply's
    split.name, join.split_task = "engine_split", "engine_split"
    specs["engine_split"] = split
    join.name = "engine_join"

    assert _bpmn_element(split) == "client_reply"
    assert _bpmn_element(join) == "client_reply"
    # and an element's own id is its id
    assert _bpmn_element(specs["reminder_timer"]) == "reminder_timer"


def test_a_batch_from_a_list_emptied_meanwhile_says_nothing_is_left(analyst, client_user, acme):
    # given the analyst's list showed a request on version 1 (version 2 current)
    portal_request = submit_request(client_user, acme)
    v1 = portal_request.process_instance.process_version
    v2 = store_untested_version(MINIMAL_V2)
    versioning.make_current(version=v2, action=versioning.Activation.ROLLBACK)
    browser = logged_in(Client(), analyst)
    assert "batch-move-form" in browser.get(LIST).content.decode()
    # and meanwhile the request finished (the list is empty now)
    ProcessInstance.objects.filter(pk=portal_request.process_instance_id).update(
        status=ProcessInstance.Status.COMPLETED
    )

    # when the batch they had ticked is sent without the confirmation
    refused = browser.post(
        BATCH,
        {"scope": "selected", "instance_ids": [portal_request.process_instance_id], "version_id": v2.pk},
    ).content.decode()
    # and when every request of version 1 is sent, confirmed
    sent = browser.post(
        BATCH, {"scope": "version", "from_version_id": v1.pk, "version_id": v2.pk, "confirm": "on"}
    ).content.decode()

    # then each page says that nothing is left to move and nothing moved
    assert 'data-testid="batch-nothing-left"' in refused
    assert "Nie zostały żadne wnioski w toku na starszych wersjach" in refused
    assert 'data-testid="batch-nothing-left"' in sent
    assert "Nic nie zostało przeniesione." in sent
    assert get_current_version(KEY).pk == v2.pk


def test_a_deploy_refusal_lists_its_elements_as_the_diagram_reads():
    # given problems found rule by rule: the 30-day timer's before the staff review's, a file-level one last
    problems = [
        engine.BpmnProblem("cancel_timer", "timer"),
        engine.BpmnProblem("flow_to_decision", "flow"),
        engine.BpmnProblem("staff_review", "task"),
        engine.BpmnProblem("", "file"),
    ]

    fields = bpmn_problems_error(problems, None, PAYMENT_XML).fields

    # then the refusal lists the file's own first, then the elements along the flow: the staff review, its
    # outgoing flow, and the timer on the client's task later
    assert list(fields) == ["bpmn", "staff_review", "flow_to_decision", "cancel_timer"]
    assert fields["staff_review"] == ["task"]
