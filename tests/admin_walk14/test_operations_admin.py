"""Operations records are the system's: incidents and system events cannot be added, changed or deleted in
the Django admin (the add form made a blank open incident; an added event was a server error). The
intended action on incidents stays."""

from __future__ import annotations

import pytest

from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from workflows.models import Incident

pytestmark = pytest.mark.django_db


def test_incidents_and_system_events_are_read_only(browser, acme):
    incident = Incident.objects.create(action="timer", error_class="RuntimeError", message="boom")
    event = record_outbox_event(
        kind=OutboxEvent.Kind.INVOICE_ISSUED, subject=acme, client_id=acme.pk, payload={"invoice_id": 1}
    )

    for path, pk in (("workflows/incident", incident.pk), ("core/outboxevent", event.pk)):
        listing = browser.get(f"/admin/{path}/")
        assert listing.status_code == 200, path
        assert f"/admin/{path}/add/" not in listing.content.decode(), path
        assert browser.get(f"/admin/{path}/add/").status_code == 403, path
        assert browser.post(f"/admin/{path}/add/", {"action": "timer"}).status_code == 403, path
        assert browser.post(f"/admin/{path}/{pk}/delete/", {"post": "yes"}).status_code == 403, path
        detail = browser.get(f"/admin/{path}/{pk}/change/")
        assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode(), path

    assert Incident.objects.count() == 1 and OutboxEvent.objects.filter(pk=event.pk).exists()
    # the intended action on incidents is still offered
    assert 'value="retry_at_next_sweep"' in browser.get("/admin/workflows/incident/").content.decode()
