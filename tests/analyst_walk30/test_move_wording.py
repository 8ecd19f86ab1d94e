"""What an analyst reads when a request cannot move to another version (session 30's walk): the request is
a request (not an "instance"), the elements that block the move are named as on the canvas, never by
engine-internal task specs (client_reply.BoundaryEventSplit), and the dry runs' columns name tasks and
timers too. The API keeps its machine-readable parts (code, the field named by the element id)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from backend.requests_app import services as request_services
from backend.requests_app import task_hands
from backend.requests_app.models import PortalRequest
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows.test_services import MINIMAL_V2, PAYMENT_XML, store_untested_version
from tests.workflows_deploy.test_deploy_refusals import refusal
from tests.workflows_deploy.test_timer_contract import without
from workflows import versioning
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"
LIST = f"/analyst/flows/{KEY}/migrations/"
# The names payment_date_change.bpmn gives client_reply and its two timers.
CLIENT_REPLY = "„Oczekuje na odpowiedź klienta”"
REMINDER, CANCEL = "„Po 14 dniach bez odpowiedzi”", "„Po 30 dniach bez odpowiedzi”"
INTERNAL = ("BoundaryEventSplit", "BoundaryEventJoin", "Instancj", "instancj", "[cancel_timer]")


@pytest.fixture
def waiting(client_user, acme, bok_staff) -> PortalRequest:
    """A request on version 1 waiting for the client's reply (both timers running)."""
    portal_request = submit_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    request_services.complete_staff_task(
        staff=bok_staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Dokumenty?"},
        attachment_ids=[],
    )
    return portal_request


def no_internals(text: str) -> None:
    for word in INTERNAL:
        assert word not in text, (word, text)


def test_the_api_refusal_names_the_elements_and_speaks_of_the_request(analyst, waiting):
    v2 = store_untested_version(MINIMAL_V2)

    response = logged_in(Client(), analyst).post(
        f"/api/workflows/instances/{waiting.process_instance_id}/migrate/",
        {"version_id": v2.pk},
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 400
    assert body["message"] == (
        "Wniosku nie można przenieść do tej wersji: W nowej wersji brakuje elementów, do których ten wniosek "
        f"już doszedł: „Decyzja?”, {CLIENT_REPLY}, {REMINDER}, {CANCEL}."
    )
    no_internals(body["message"])
    # the machine-readable parts as they were: the code, the field named by the first element's id (in the
    # flow's order since session 31)
    assert body["code"] == "invalid" and list(body["fields"]) == ["decision_gateway"]


def test_the_dry_run_says_it_in_english_too(waiting):
    v2 = store_untested_version(MINIMAL_V2)

    with translation.override("en"):
        row = versioning.dry_run_instance(waiting.process_instance, v2)

    assert row["reason"] == (
        "The new version lacks elements this request has already reached: “Decyzja?”, "
        "“Oczekuje na odpowiedź klienta”, “Po 14 dniach bez odpowiedzi”, “Po 30 dniach bez odpowiedzi”."
    )
    assert row["element_id"] == "decision_gateway" and row["tasks_removed"] == ["client_reply"]


def test_a_task_kept_without_its_timers_is_named_not_its_boundary_split(waiting):
    # given a version whose client_reply has no timers at all (the engine's split before it is gone)
    bare = without(PAYMENT_XML, "reminder_timer", "send_reminder", "reminder_sent", "cancel_timer")
    bare = store_untested_version(without(bare, "request_cancelled"))
    # its own checksum: parsed specs are cached by (id, checksum), and ids come back between tests
    bare.checksum = "untested: client_reply without timers"
    bare.save(update_fields=["checksum"])

    row = versioning.dry_run_instance(waiting.process_instance, bare)

    assert row["can_move"] is False
    assert row["reason"] == (
        f"W nowej wersji brakuje elementów, do których ten wniosek już doszedł: "
        f"zdarzenia brzegowe zadania {CLIENT_REPLY}, {REMINDER}, {CANCEL}."
    )
    no_internals(row["reason"])


def test_the_move_form_names_elements_in_its_reason_and_its_columns(analyst, waiting):
    v2 = store_untested_version(MINIMAL_V2)
    browser = logged_in(Client(), analyst)
    url = f"{LIST}{waiting.process_instance_id}/"

    page = browser.get(url).content.decode()
    refused = browser.post(url, {"version_id": v2.pk, "confirm": "on"}).content.decode()

    row = page.split('data-testid="dry-run-v2"', 1)[1].split("</tr>", 1)[0]
    assert f"−&nbsp;{CLIENT_REPLY}" in row  # the removed task, by its name
    assert f"<li>{REMINDER}: " in row and f"<li>{CANCEL}: " in row  # the timers due now
    assert "<code>" not in row
    no_internals(row)
    assert "Wniosku nie można przenieść do tej wersji: W nowej wersji brakuje elementów" in refused
    no_internals(refused)


def test_the_list_and_the_batch_name_what_blocks_a_request(analyst, waiting):
    # given a current version the waiting request cannot move to
    v2 = store_untested_version(MINIMAL_V2)
    versioning.make_current(version=v2, action=versioning.Activation.ROLLBACK)
    browser = logged_in(Client(), analyst)

    listed = browser.get(LIST).content.decode()
    moved = browser.post(
        f"{LIST}batch/",
        {
            "scope": "selected",
            "instance_ids": [waiting.process_instance_id],
            "version_id": v2.pk,
            "confirm": "on",
        },
    ).content.decode()

    cell = listed.split(f'data-testid="dry-run-{waiting.process_instance_id}"', 1)[1].split("</td>", 1)[0]
    assert CLIENT_REPLY in cell and "<code>" not in cell
    no_internals(cell)
    assert "Wniosku nie można przenieść do tej wersji: W nowej wersji brakuje elementów" in moved
    assert "<code>cancel_timer</code>" not in moved
    no_internals(moved)
    assert ProcessVersion.objects.get(pk=waiting.process_instance.process_version_id).number == 1


def test_a_missing_task_names_its_lane_without_brackets_in_brackets():
    # given a flow whose staff task was given another id
    xml = PAYMENT_XML.replace('id="staff_review"', 'id="staff_check"')

    with translation.override("pl"):
        fields = refusal(xml)

    messages = [message for values in fields.values() for message in values if "staff_review" in message]
    assert (
        "Brakuje zadania użytkownika staff_review w torze BOK (Staff); czy zmieniono jego identyfikator?"
        in messages
    ), fields
