"""The worker (or beat) is down when a request is decided: its document stays "being prepared" with no failed
attempt, and the admin dashboard listed only failures, so nothing but the worker tile's "no signal" told.
Now a document waiting longer than DOCUMENT_WAITING_ALERT_MINUTES is listed with its request and "Render
now", which renders it in the administrator's request, with no worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.models import User
from backend.requests_app.models import DocumentRender, PortalRequest, RequestEvent
from tests.factories import UserFactory
from tests.faults35.conftest import decide_with_worker_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True)


def _decided_ago(event_id: int, minutes: int) -> None:
    RequestEvent.objects.filter(pk=event_id).update(created_at=timezone.now() - timedelta(minutes=minutes))


def _waiting_section(html: str) -> str:
    start = html.index('id="waiting-documents-title"')
    return html[start : html.index("</table>", start)]


def test_a_document_waiting_past_the_threshold_is_listed_with_its_request_and_render_now(
    queued, api_as, client, client_user, bok_staff, admin_user, acme_contract, settings
):
    settings.DOCUMENT_WAITING_ALERT_MINUTES = 10
    request_id, event_id = decide_with_worker_down(api_as(client_user), api_as(bok_staff), acme_contract)
    _decided_ago(event_id, 11)
    client.force_login(admin_user)

    html = client.get("/staff/").content.decode()

    number = PortalRequest.objects.get(pk=request_id).number
    tile = html[html.index('href="#waiting-documents-title"') :][:600]
    assert 'class="stat-tile bad"' in tile and '<span class="stat-value">1</span>' in tile
    assert "Dokumenty decyzji czekające zbyt długo" in tile
    assert "nieprzygotowane w ciągu 10 minut od decyzji" in tile
    section = _waiting_section(html)
    assert f'href="/staff/tasks/{request_id}/"' in section and number in section
    assert f'action="/staff/documents/{event_id}/retry/"' in section and "Wygeneruj teraz" in section
    # the worker never tried it: it is not among the failures, and the client still reads "being prepared"
    assert 'data-testid="op-failed-documents"' not in html
    client.force_login(client_user)
    assert "Dokument w przygotowaniu" in client.get(f"/requests/{request_id}/").content.decode()


def test_a_document_decided_a_moment_ago_is_not_listed(
    queued, api_as, client, client_user, bok_staff, admin_user, acme_contract, settings
):
    settings.DOCUMENT_WAITING_ALERT_MINUTES = 10
    _request_id, event_id = decide_with_worker_down(api_as(client_user), api_as(bok_staff), acme_contract)
    _decided_ago(event_id, 9)
    client.force_login(admin_user)

    html = client.get("/staff/").content.decode()

    tile = html[html.index('data-testid="op-waiting-documents"') - 40 :][:600]
    assert '<div class="stat-tile" data-testid="op-waiting-documents">' in tile
    assert '<span class="stat-value">0</span>' in tile
    assert 'id="waiting-documents-title"' not in html


def test_render_now_renders_the_waiting_document_with_no_worker(
    queued, api_as, client, client_user, bok_staff, admin_user, acme_contract, settings
):
    settings.DOCUMENT_WAITING_ALERT_MINUTES = 10
    client_api = api_as(client_user)
    request_id, event_id = decide_with_worker_down(client_api, api_as(bok_staff), acme_contract)
    _decided_ago(event_id, 30)
    client.force_login(admin_user)

    response = client.post(f"/staff/documents/{event_id}/retry/", follow=True)

    html = response.content.decode()
    assert "Dokument został wygenerowany: klient może go już pobrać z wniosku." in html
    assert 'id="waiting-documents-title"' not in html
    assert PortalRequest.objects.get(pk=request_id).decision_document is not None
    assert client_api.get(f"/api/requests/{request_id}/").json()["decision_document_status"] == "ready"
    assert queued == []  # nothing was left for a worker to do


def test_render_now_that_fails_tells_the_administrator_why_and_counts_the_attempt(
    queued, api_as, client, client_user, bok_staff, admin_user, acme_contract, settings, monkeypatch
):
    from backend.requests_app import decision_document

    settings.DOCUMENT_WAITING_ALERT_MINUTES = 10
    _request_id, event_id = decide_with_worker_down(api_as(client_user), api_as(bok_staff), acme_contract)
    _decided_ago(event_id, 30)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(decision_document, "store_bytes", disk_full)
    client.force_login(admin_user)

    html = client.post(f"/staff/documents/{event_id}/retry/", follow=True).content.decode()

    assert "Nie udało się wygenerować dokumentu: OSError: [Errno 28] No space left on device." in html
    # now a failure with its error, no longer "waiting": the failed list shows it with its back-off
    assert DocumentRender.objects.get(pk=event_id).attempts == 1
    assert 'data-testid="op-failed-documents"' in html and 'id="waiting-documents-title"' not in html


def test_staff_may_not_render_a_document_now(queued, api_as, client, client_user, bok_staff, acme_contract):
    _request_id, event_id = decide_with_worker_down(api_as(client_user), api_as(bok_staff), acme_contract)
    client.force_login(bok_staff)

    assert client.post(f"/staff/documents/{event_id}/retry/").status_code == 403
    assert RequestEvent.objects.get(pk=event_id).data.get("pending") is True
