"""Session 30 (staff and client walks): while the worker still renders the decision document, its history
row says it is being prepared, as the state box does, on both pages and in the API; once stored, issued."""

from __future__ import annotations

import pytest

from backend.requests_app import tasks
from backend.requests_app.models import DOCUMENT_DELAYED_AFTER_ATTEMPTS, DocumentRender, RequestEvent
from notifications import tasks as notification_tasks
from tests.requests_app.test_flows import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings, monkeypatch) -> list[int]:
    """A real worker's set-up: the document's task is only collected, so it stays pending."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TASK_BATCH_SECONDS = 0
    ids: list[int] = []
    monkeypatch.setattr(tasks.render_decision_documents, "delay", ids.extend)
    monkeypatch.setattr(notification_tasks.create_notifications_for_events, "delay", lambda ids: None)
    return ids


def history_of(page: bytes) -> str:
    html = page.decode()
    start = html.index('id="request-history"')
    return html[start : html.index("</ol>", start)]


def test_the_history_says_the_document_is_issued_only_once_it_is(
    queued, api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(client_api, "payment_date_change", acme_contract)["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json").status_code == 200
        )

    # while pending: "being prepared" in the history of both pages and in the API's row
    staff_history = history_of(staff_api.get(f"/staff/tasks/{request_id}/").content)
    client_history = history_of(client_api.get(f"/requests/{request_id}/").content)
    for history in (staff_history, client_history):
        assert "Dokument w przygotowaniu" in history and "Wystawiono dokument" not in history
    rows = client_api.get(f"/api/requests/{request_id}/").json()["history"]
    assert [row["kind_label"] for row in rows if row["kind"] == "document"] == ["Dokument w przygotowaniu"]

    # when its rendering keeps failing: "delayed", as the state box says, not "being prepared"
    row = RequestEvent.objects.get(request_id=request_id, kind=RequestEvent.Kind.DOCUMENT)
    render = DocumentRender.objects.create(event=row, attempts=DOCUMENT_DELAYED_AFTER_ATTEMPTS)
    for history in (
        history_of(staff_api.get(f"/staff/tasks/{request_id}/").content),
        history_of(client_api.get(f"/requests/{request_id}/").content),
    ):
        assert "Dokument opóźniony" in history and "Dokument w przygotowaniu" not in history
    render.delete()

    # once the worker stored it: issued
    tasks.render_decision_document(queued[0])
    assert "Wystawiono dokument" in history_of(staff_api.get(f"/staff/tasks/{request_id}/").content)
    assert "Wystawiono dokument" in history_of(client_api.get(f"/requests/{request_id}/").content)
    row = RequestEvent.objects.get(request_id=request_id, kind=RequestEvent.Kind.DOCUMENT)
    assert row.kind_label == "Wystawiono dokument"
