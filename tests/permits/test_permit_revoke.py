"""Staff revoke an issued permit from the staff request page or the API: the reason is required, the
revocation is audited and told to the client, and the public verification page then says revoked."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient

from backend.core.models import AuditLog, OutboxEvent
from backend.permits.models import VehiclePermit
from backend.requests_app.models import RequestEvent
from tests.permits.test_permit_api import permit, submit, trip  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def verify_state(permit_row: VehiclePermit) -> str:
    html = PageClient().get(f"/verify/permit/{permit_row.code}/").content.decode()
    return html.split('data-permit-state="', 1)[1].split('"', 1)[0]


def test_staff_revoke_from_the_task_page_with_a_reason(permit, bok_staff, client_user, api_as):  # noqa: F811
    staff = PageClient()
    staff.force_login(bok_staff)
    page = staff.get(f"/staff/tasks/{permit.request_id}/").content.decode()
    assert 'id="form-revoke-permit"' in page and f"/verify/permit/{permit.code}/" in page

    # without a reason nothing changes and the page says what is missing
    refused = staff.post(f"/staff/permits/{permit.request_id}/revoke/", {"reason": "  "}, follow=True)
    assert "Podaj powód cofnięcia." in refused.content.decode()
    assert VehiclePermit.objects.get(pk=permit.pk).status == VehiclePermit.Status.VALID
    assert verify_state(permit) == "valid"

    # with a reason the permit is revoked, the verification page says so
    done = staff.post(
        f"/staff/permits/{permit.request_id}/revoke/", {"reason": "Umowa wypowiedziana."}, follow=True
    )
    assert done.status_code == 200
    assert 'id="permit-revoked"' in done.content.decode()
    stored = VehiclePermit.objects.get(pk=permit.pk)
    assert stored.status == VehiclePermit.Status.REVOKED and stored.revoked_by == bok_staff
    assert stored.revocation_reason == "Umowa wypowiedziana." and stored.revoked_at is not None
    assert verify_state(permit) == "revoked"

    # audited, and the client reads the reason in the request's history (with a notice through the outbox)
    audit = AuditLog.objects.get(action="permit.revoked")
    assert audit.user == bok_staff and audit.detail["reason"] == "Umowa wypowiedziana."
    history = api_as(client_user).get(f"/api/requests/{permit.request_id}/").json()["history"]
    assert any(e["kind"] == "comment" and "Umowa wypowiedziana." in e["message"] for e in history)
    assert OutboxEvent.objects.filter(
        kind=OutboxEvent.Kind.REQUEST_COMMENT, subject_id=permit.request_id
    ).exists()


def test_the_api_revokes_once_and_refuses_in_the_error_shape(permit, bok_staff, api_as):  # noqa: F811
    staff_api = api_as(bok_staff)
    url = f"/api/staff/requests/{permit.request_id}/revoke-permit/"

    missing = staff_api.post(url, {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["fields"]

    revoked = staff_api.post(url, {"reason": "Pojazd sprzedany."}, format="json")
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["status"] == "revoked" and revoked.json()["state"] == "revoked"

    again = staff_api.post(url, {"reason": "Jeszcze raz."}, format="json")
    assert again.status_code == 409 and set(again.json()) >= {"code", "message"}
    assert RequestEvent.objects.filter(request_id=permit.request_id, kind="comment").count() == 1
    assert AuditLog.objects.filter(action="permit.revoked").count() == 1

    assert staff_api.post("/api/staff/requests/999999/revoke-permit/", {"reason": "x"}).status_code == 404
    huge = staff_api.post(f"/api/staff/requests/{2**70}/revoke-permit/", {"reason": "x"})
    assert huge.status_code == 404 and huge.json()["code"] == "not_found"


def test_a_client_cannot_revoke(permit, client_user, api_as):  # noqa: F811
    response = api_as(client_user).post(
        f"/api/staff/requests/{permit.request_id}/revoke-permit/", {"reason": "Nie chcę."}, format="json"
    )
    assert response.status_code == 403
    assert VehiclePermit.objects.get(pk=permit.pk).status == VehiclePermit.Status.VALID
