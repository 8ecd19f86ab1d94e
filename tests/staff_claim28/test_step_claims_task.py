"""A step on a task nobody held claims it, and says so: the service's `claimed_in_step`, the task page's
message after the redirect (once), and the step endpoints' `claimed` (documented in the schema). Nothing is
said when the staff member held the task already. Each kind of step: decision, question, counter-offer,
complaint deadline extension.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from backend.requests_app import services, task_hands
from backend.requests_app.models import PortalRequest
from tests.complaint_helpers import submit_complaint
from tests.logged_in_clients import browsing_as
from tests.requests_app.test_early_termination import make_quote, request_from

pytestmark = pytest.mark.django_db

SAID = "Zadanie zostało przypisane do Ciebie."


@pytest.fixture
def buyout_request(api_as, client_user, acme_contract) -> tuple[PortalRequest, str]:
    """An early termination request waiting for staff, and its quote's total (a valid counter-offer)."""
    api = api_as(client_user)
    quote = make_quote(api, acme_contract)
    return PortalRequest.objects.get(pk=request_from(api, acme_contract, quote)["id"]), quote["total"]


@pytest.fixture
def complaint(api_as, client_user) -> PortalRequest:
    return PortalRequest.objects.get(pk=submit_complaint(api_as(client_user))["id"])


def extension() -> dict:
    return {
        "new_deadline": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "extension_reason": "Potrzebna opinia rzeczoznawcy.",
    }


def held_by(staff, portal_request: PortalRequest) -> PortalRequest:
    task_hands.claim_request(staff=staff, portal_request=portal_request)
    return portal_request


# --------------------------------------------------------------------------------------------------
# The service


@pytest.mark.parametrize("held", [False, True], ids=["unclaimed", "held"])
def test_the_service_says_whether_the_step_claimed_the_task(bok_staff, open_request, held):
    if held:
        held_by(bok_staff, open_request)

    stepped = services.complete_staff_task(
        staff=bok_staff, portal_request=open_request, data={"decision": "ask_client", "question": "KRS?"}
    )

    assert stepped.claimed_in_step is not held
    assert stepped.assignee_id == bok_staff.pk


# --------------------------------------------------------------------------------------------------
# The task page


def posted(staff: Client, url: str, form: dict) -> str:
    """The step's post followed to the task page: the messages it shows after the redirect."""
    response = staff.post(url, form, follow=True)
    assert response.redirect_chain and response.status_code == 200, response.content.decode()[:2000]
    return " ".join(str(message) for message in response.context["messages"])


def test_a_question_on_a_task_nobody_held_says_once_that_it_is_now_yours(bok_staff, open_request):
    staff = browsing_as(bok_staff)

    said = posted(staff, f"/staff/tasks/{open_request.pk}/ask/", {"question": "Prosimy o KRS."})

    assert said.startswith("Pytanie zostało wysłane"), said
    assert said.count(SAID) == 1, said
    again = staff.get(f"/staff/tasks/{open_request.pk}/")
    assert SAID not in again.content.decode()  # said once, not on the next visit


@pytest.mark.parametrize(
    ("action", "form", "done"),
    [
        ("approve", {"answer": "Zgoda."}, "Wniosek został zatwierdzony."),
        ("reject", {"reason": "Brak zgody banku."}, "Wniosek został odrzucony."),
    ],
)
def test_a_final_decision_on_a_task_nobody_held_leaves_no_task_to_say_is_yours(
    bok_staff, open_request, action, form, done
):
    """A decided request has no task left (walker V: "now assigned to you" on a completed request)."""
    said = posted(browsing_as(bok_staff), f"/staff/tasks/{open_request.pk}/{action}/", form)

    assert said == done, said
    assert PortalRequest.objects.get(pk=open_request.pk).assignee_id == bok_staff.pk  # it did claim it


@pytest.mark.parametrize(
    ("action", "form"),
    [("approve", {"answer": "Zgoda."}), ("reject", {"reason": "Nie."}), ("ask", {"question": "KRS?"})],
)
def test_a_decision_on_your_own_task_says_nothing_of_it(bok_staff, open_request, action, form):
    held_by(bok_staff, open_request)

    said = posted(browsing_as(bok_staff), f"/staff/tasks/{open_request.pk}/{action}/", form)

    assert said and SAID not in said


@pytest.mark.parametrize("held", [False, True], ids=["unclaimed", "held"])
def test_a_counter_offer_says_it_claimed_the_task_only_when_it_did(bok_staff, buyout_request, held):
    portal_request, total = buyout_request
    if held:
        held_by(bok_staff, portal_request)

    said = posted(
        browsing_as(bok_staff),
        f"/staff/tasks/{portal_request.pk}/buyout-counter/",
        {"total": total, "reason": "Rabat"},
    )

    assert said.startswith("Kontroferta została wysłana"), said
    assert said.count(SAID) == (0 if held else 1), said


@pytest.mark.parametrize("held", [False, True], ids=["unclaimed", "held"])
def test_a_deadline_extension_says_it_claimed_the_task_only_when_it_did(bok_staff, complaint, held):
    if held:
        held_by(bok_staff, complaint)

    said = posted(browsing_as(bok_staff), f"/staff/complaints/{complaint.pk}/extend-deadline/", extension())

    assert said.startswith("Termin odpowiedzi przedłużono"), said
    assert said.count(SAID) == (0 if held else 1), said


# --------------------------------------------------------------------------------------------------
# The API


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("approve", {"answer": "Zgoda."}),
        ("reject", {"reason": "Nie."}),
        ("ask-client", {"question": "KRS?"}),
        ("complete", {"data": {"decision": "ask_client", "question": "KRS?"}}),
    ],
)
@pytest.mark.parametrize("held", [False, True], ids=["unclaimed", "held"])
def test_a_decisions_answer_says_whether_it_claimed_the_task(
    api_as, bok_staff, open_request, action, body, held
):
    if held:
        held_by(bok_staff, open_request)

    response = api_as(bok_staff).post(f"/api/staff/requests/{open_request.pk}/{action}/", body, format="json")

    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["claimed"] is not held
    assert answer["assignee"] == bok_staff.pk  # the rest of the state as before


@pytest.mark.parametrize("held", [False, True], ids=["unclaimed", "held"])
def test_a_counter_offers_answer_says_whether_it_claimed_the_task(api_as, bok_staff, buyout_request, held):
    portal_request, total = buyout_request
    if held:
        held_by(bok_staff, portal_request)

    response = api_as(bok_staff).post(
        f"/api/staff/requests/{portal_request.pk}/buyout-counter/",
        {"total": total, "reason": "Rabat"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["claimed"] is not held
    assert response.json()["quote"]["status"] == "countered"


@pytest.mark.parametrize("held", [False, True], ids=["unclaimed", "held"])
def test_an_extensions_answer_says_whether_it_claimed_the_task(api_as, bok_staff, complaint, held):
    if held:
        held_by(bok_staff, complaint)

    response = api_as(bok_staff).post(
        f"/api/staff/requests/{complaint.pk}/extend-deadline/", extension(), format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["claimed"] is not held
    assert response.json()["extended"] is True


def test_the_schema_documents_claimed_on_every_staff_step():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    steps = ["approve", "reject", "ask-client", "complete", "buyout-counter", "extend-deadline"]
    for step in steps:
        operation = schema["paths"][f"/api/staff/requests/{{request_id}}/{step}/"]["post"]
        reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]
        claimed = component["properties"]["claimed"]
        assert claimed["type"] == "boolean" and "claimed" in component["required"], step
        assert "unclaimed task" in claimed["description"], step


def test_a_request_read_anywhere_else_says_it_was_not_claimed_in_a_step(open_request):
    """`claimed_in_step` is the step's word on the request it returns; a request read from the database
    (a page, a list, a serializer outside a step) answers False instead of raising AttributeError."""
    assert PortalRequest.objects.get(pk=open_request.pk).claimed_in_step is False
