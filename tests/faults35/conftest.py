"""Faults of an operator's bad day as a person meets them: a worker or beat down, files left by rollbacks."""

from __future__ import annotations

from tests.ops_walk14.conftest import queued  # noqa: F401  (the worker's queue, collected)
from tests.requests_app.test_flows import submit


def decide_with_worker_down(client_api, staff_api, contract) -> tuple[int, int]:
    """A client's request approved by staff while no worker runs: return (request id, the id of its
    pending document's history row). Needs the `queued` fixture (tasks go to a broker nobody reads)."""
    from backend.requests_app.models import RequestEvent

    request_id = submit(client_api, "payment_date_change", contract)["id"]
    response = staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    event = RequestEvent.objects.get(request_id=request_id, kind=RequestEvent.Kind.DOCUMENT)
    assert event.data.get("pending") is True
    return request_id, event.pk
