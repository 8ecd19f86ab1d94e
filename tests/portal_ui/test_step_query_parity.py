"""Every step costs the same SQL statements through its page as through its API call.

Pages are thin adapters over the same input serializers and services as the API (form → serializer →
service → redirect), so a page POST must not read more than the API call of the same step. Each test
brings two requests into the same state, takes the step on one through the page and on the other
through the API, and compares the statements each one ran.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.requests_app import services
from backend.requests_app.models import PortalRequest, RequestEvent, RequestKind, RequestStatus
from tests.factories import ContractFactory
from tests.logged_in_clients import api_client_as
from tests.requests_app.helpers import contract_free_for, submission

pytestmark = pytest.mark.django_db

PAYMENT_DAY = {"payment_day": 20, "reason": "cash_flow"}


@pytest.fixture(autouse=True)
def _session_written_once(settings):
    # The sliding session is written at most once per interval: once per browser in the warm-up, never
    # again in the measured step, however slow the machine.
    settings.SESSION_REFRESH_INTERVAL = 10**9


@pytest.fixture
def contract(acme):
    return ContractFactory(client=acme, payment_day=15)


def _browser(user, django_client):
    django_client.force_login(user)
    return django_client


@pytest.fixture
def pages(client, client_user):
    return _browser(client_user, client)


@pytest.fixture
def api(client_user):
    return api_client_as(client_user)


@pytest.fixture
def staff_pages(bok_staff):
    from django.test import Client

    return _browser(bok_staff, Client())


@pytest.fixture
def staff_api(bok_staff):
    return api_client_as(bok_staff)


def _warm_up(*callers) -> None:
    """One read per caller: its session gets the active client and the refresh stamp before measuring."""
    for caller, url in callers:
        assert caller.get(url).status_code == 200


@pytest.fixture
def same_statements(django_capture_on_commit_callbacks):
    """Take a step through the page and the same step through the API; assert they ran as many statements.

    Returns both responses. After-commit work (the outbox dispatch) runs, but is not counted.
    """

    def run(step) -> tuple[object, list[str]]:
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as captured:
            response = step()
        return response, [query["sql"] for query in captured.captured_queries]

    def compare(page_step, api_step) -> tuple[object, object]:
        page_response, page_sql = run(page_step)
        api_response, api_sql = run(api_step)
        assert len(page_sql) == len(api_sql), "\n".join(["page:", *page_sql, "", "api:", *api_sql])
        return page_response, api_response

    return compare


def _submitted(api, contract) -> PortalRequest:
    contract = contract_free_for(RequestKind.PAYMENT_DATE_CHANGE, contract)  # one open per contract
    body = submission(RequestKind.PAYMENT_DATE_CHANGE, contract=contract, data=PAYMENT_DAY)
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.content
    return PortalRequest.objects.get(pk=response.json()["id"])


@pytest.fixture
def two_requests(api, pages, staff_api, staff_pages, contract):
    """Two requests in the same state (waiting for staff) and four warmed-up callers."""
    first, second = _submitted(api, contract), _submitted(api, contract)
    _warm_up(
        (pages, "/requests/"),
        (api, "/api/requests/"),
        (staff_pages, "/staff/tasks/"),
        (staff_api, "/api/staff/tasks/"),
    )
    return first, second


def _ask(staff, *requests) -> None:
    for portal_request in requests:
        services.complete_staff_task(
            staff=staff, portal_request=portal_request, data={"decision": "ask_client", "question": "KRS?"}
        )


# --------------------------------------------------------------------------------------------------
# Client steps


def _payment_day_form(contract, key: str) -> dict:
    return {
        "idempotency_key": key,
        "contract_id": str(contract.pk),
        "data__payment_day": "20",
        "data__reason": "cash_flow",
        "contact__name": "Anna Kowalska",
        "contact__phone": "+48 601 234 567",
        "contact__email": "anna.kowalska@acme.pl",
        "declarations__data_true": "on",
        "declarations__privacy_notice": "on",
        "declarations__fees": "on",
        "declarations__authorised": "on",
    }


def _states(*requests) -> set[str]:
    for portal_request in requests:
        portal_request.refresh_from_db()
    return {portal_request.status for portal_request in requests}


def test_submit(two_requests, pages, api, contract, same_statements):
    # Each on a contract of its own with no open payment day change (a contract takes one at a time).
    page_contract, api_contract = (
        ContractFactory(client=contract.client),
        ContractFactory(client=contract.client),
    )
    body = submission(RequestKind.PAYMENT_DATE_CHANGE, contract=api_contract, data=PAYMENT_DAY)

    by_page, by_api = same_statements(
        lambda: pages.post(
            f"/requests/new/{RequestKind.PAYMENT_DATE_CHANGE}/", _payment_day_form(page_contract, "page-key")
        ),
        lambda: api.post("/api/requests/", body, format="json", headers={"Idempotency-Key": "api-key"}),
    )

    assert (by_page.status_code, by_api.status_code) == (302, 201)
    assert PortalRequest.objects.filter(idempotency_key__in=["page-key", "api-key"]).count() == 2


def test_client_reply(two_requests, pages, api, bok_staff, same_statements):
    first, second = two_requests
    _ask(bok_staff, first, second)

    by_page, by_api = same_statements(
        lambda: pages.post(f"/requests/{first.pk}/reply/", {"message": "KRS 0000123456"}),
        lambda: api.post(f"/api/requests/{second.pk}/reply/", {"message": "KRS 0000123456"}, format="json"),
    )

    assert (by_page.status_code, by_api.status_code) == (302, 200)
    assert _states(first, second) == {RequestStatus.IN_REVIEW}


def test_cancel(two_requests, pages, api, same_statements):
    first, second = two_requests

    by_page, by_api = same_statements(
        lambda: pages.post(f"/requests/{first.pk}/cancel/"),
        lambda: api.post(f"/api/requests/{second.pk}/cancel/"),
    )

    assert (by_page.status_code, by_api.status_code) == (302, 200)
    assert _states(first, second) == {RequestStatus.CANCELLED}


def test_client_comment(two_requests, pages, api, same_statements):
    first, second = two_requests

    by_page, by_api = same_statements(
        lambda: pages.post(f"/requests/{first.pk}/comment/", {"message": "Dosyłam skan."}),
        lambda: api.post(f"/api/requests/{second.pk}/comments/", {"message": "Dosyłam skan."}, format="json"),
    )

    assert (by_page.status_code, by_api.status_code) == (302, 201)
    assert RequestEvent.objects.filter(kind=RequestEvent.Kind.COMMENT, message="Dosyłam skan.").count() == 2


# --------------------------------------------------------------------------------------------------
# Staff steps

STAFF_STEPS = [
    # (page action, API action, form / body, status the request reaches)
    ("ask", "ask-client", {"question": "Prosimy o KRS."}, RequestStatus.WAITING_FOR_CLIENT),
    ("approve", "approve", {"answer": "Zgoda.", "comment": "Bez uwag."}, RequestStatus.COMPLETED),
    ("reject", "reject", {"reason": "Brak zgody banku."}, RequestStatus.REJECTED),
]


@pytest.mark.parametrize(("page_action", "api_action", "form", "reached"), STAFF_STEPS)
def test_staff_decision(
    two_requests, staff_pages, staff_api, page_action, api_action, form, reached, same_statements
):
    first, second = two_requests

    by_page, by_api = same_statements(
        lambda: staff_pages.post(f"/staff/tasks/{first.pk}/{page_action}/", form),
        lambda: staff_api.post(f"/api/staff/requests/{second.pk}/{api_action}/", form, format="json"),
    )

    assert (by_page.status_code, by_api.status_code) == (302, 200)
    assert _states(first, second) == {reached}


def test_staff_comment(two_requests, staff_pages, staff_api, same_statements):
    first, second = two_requests

    by_page, by_api = same_statements(
        lambda: staff_pages.post(f"/staff/tasks/{first.pk}/comment/", {"message": "Notatka."}),
        lambda: staff_api.post(
            f"/api/staff/requests/{second.pk}/comments/", {"message": "Notatka."}, format="json"
        ),
    )

    assert (by_page.status_code, by_api.status_code) == (302, 201)
    assert RequestEvent.objects.filter(kind=RequestEvent.Kind.COMMENT, message="Notatka.").count() == 2
