"""A request's `status_label` in the client API is what the client's pages say (client_status_label:
"Czeka na Twoją odpowiedź"); the staff API keeps the back office's words ("Oczekuje na odpowiedź klienta")."""

from __future__ import annotations

import html
import re

import pytest

from backend.requests_app.models import PortalRequest, RequestStatus
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


@pytest.fixture
def request_id(api_as, client_user, acme_contract) -> int:
    response = api_as(client_user).post(
        "/api/requests/",
        submission("payment_date_change", contract=acme_contract, data=PAYMENT),
        format="json",
    )
    assert response.status_code == 201
    return response.json()["id"]


def _page_label(page: str, status: str) -> str:
    """The status badge of the client's request page."""
    match = re.search(rf'<span class="badge badge-status-{status}">([^<]*)</span>', page)
    return html.unescape(match.group(1)).strip()


@pytest.mark.parametrize("status", RequestStatus.values)
def test_the_client_api_says_the_status_as_the_client_pages_do(
    status, api_as, client, client_user, request_id
):
    # given a request in each status
    PortalRequest.objects.filter(pk=request_id).update(status=status)
    client.force_login(client_user)
    page_label = _page_label(client.get(f"/requests/{request_id}/").content.decode(), status)
    list_page_label = _page_label(client.get("/requests/").content.decode(), status)

    # when
    api = api_as(client_user)
    detail = api.get(f"/api/requests/{request_id}/").json()
    listed = api.get("/api/requests/").json()["results"]

    # then
    assert page_label == list_page_label
    assert detail["status_label"] == page_label
    assert [r["status_label"] for r in listed if r["id"] == request_id] == [page_label]


def test_waiting_for_the_client_reads_as_the_clients_own_turn(api_as, client_user, request_id):
    # given
    PortalRequest.objects.filter(pk=request_id).update(status=RequestStatus.WAITING_FOR_CLIENT)

    # when
    label = api_as(client_user).get(f"/api/requests/{request_id}/").json()["status_label"]

    # then
    assert label == "Czeka na Twoją odpowiedź"


@pytest.mark.parametrize("status", RequestStatus.values)
def test_the_staff_api_keeps_the_back_office_label(status, api_as, bok_staff, request_id):
    # given
    PortalRequest.objects.filter(pk=request_id).update(status=status)

    # when
    api = api_as(bok_staff)
    detail = api.get(f"/api/staff/requests/{request_id}/").json()

    # then
    assert detail["status_label"] == str(RequestStatus(status).label)
    if status == RequestStatus.WAITING_FOR_CLIENT:
        assert detail["status_label"] == "Oczekuje na odpowiedź klienta"
