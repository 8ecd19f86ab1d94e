"""The modeler's heatmap API: per element of a version, the requests there now and the median time spent
there from the request history; and the choices of the properties panel. Analysts only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.requests_app.models import PortalRequest, RequestEvent
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db

HOUR = 3600


def history(portal_request: PortalRequest, *steps: tuple[float, str, str]) -> None:
    """Replace the request's history by events (hours after a start, stage, kind)."""
    RequestEvent.objects.filter(request=portal_request).delete()
    start = timezone.now() - timedelta(days=10)
    for hours, stage, kind in steps:
        event = RequestEvent.objects.create(request=portal_request, kind=kind, stage=stage)
        RequestEvent.objects.filter(pk=event.pk).update(created_at=start + timedelta(hours=hours))


def put(portal_request: PortalRequest, **fields) -> None:
    ProcessInstance.objects.filter(pk=portal_request.process_instance_id).update(**fields)


@pytest.fixture
def seeded(client_user, acme):
    """Three requests on version 1: one back in review, one waiting for the client, one finished."""
    changed, comment = RequestEvent.Kind.STAGE_CHANGED, RequestEvent.Kind.COMMENT
    first, second, third = (submit_request(client_user, acme, n) for n in range(3))
    # review 2 h, client 1 day, back in review (not finished: not counted)
    history(
        first,
        (0, "", "submitted"),
        (0, "staff_review", changed),
        (2, "client_reply", changed),
        (26, "staff_review", changed),
    )
    # review 4 h, with the client now
    history(second, (0, "staff_review", changed), (4, "client_reply", changed))
    put(second, stage="client_reply")
    # review 6 h with a comment in between (same stay), then the client; the request is finished now
    history(
        third,
        (0, "staff_review", changed),
        (1, "staff_review", comment),
        (6, "client_reply", changed),
        (7, "request_approved", changed),
    )
    put(third, stage="request_approved", status=ProcessInstance.Status.COMPLETED)
    return first.process_instance.process_version


def test_heatmap_counts_requests_there_now_and_medians_of_finished_stays(api_as, analyst, seeded):
    # when
    response = api_as(analyst).get(f"/api/workflows/versions/{seeded.pk}/heatmap/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["version_id"], body["process_key"], body["number"]) == (seeded.pk, "payment_date_change", 1)
    heat = {row["element_id"]: row for row in body["elements"]}
    assert heat["staff_review"] == {
        "element_id": "staff_review",
        "running": 1,
        "median_seconds": 4 * HOUR,  # of 2 h, 4 h and 6 h
        "finished_stays": 3,
    }
    assert heat["client_reply"] == {
        "element_id": "client_reply",
        "running": 1,
        "median_seconds": 12.5 * HOUR,  # of 24 h and 1 h: the stay in progress has no end yet
        "finished_stays": 2,
    }
    # the completed request's end event is no running request, and no stay ended there
    assert "request_approved" not in heat


def test_heatmap_of_a_version_without_requests_is_empty(api_as, analyst, client_user, acme):
    version = submit_request(client_user, acme).process_instance.process_version
    ProcessInstance.objects.update(status=ProcessInstance.Status.CANCELLED)
    RequestEvent.objects.all().delete()

    response = api_as(analyst).get(f"/api/workflows/versions/{version.pk}/heatmap/")

    assert response.status_code == 200
    assert response.json()["elements"] == []


def test_heatmap_of_an_unknown_version_is_404_in_the_error_shape(api_as, analyst):
    response = api_as(analyst).get("/api/workflows/versions/999999/heatmap/")

    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("url", ["/api/workflows/versions/{id}/heatmap/", "/api/workflows/modeler-options/"])
def test_only_analysts_see_the_heatmap_and_the_panel_choices(
    api_as, client, client_user, bok_staff, seeded, url
):
    url = url.format(id=seeded.pk)

    assert api_as(client_user).get(url).status_code == 403
    assert api_as(bok_staff).get(url).status_code == 403
    assert client.get(url).status_code in {401, 403}


def test_panel_choices_are_the_shipped_forms_and_the_registered_service_functions(api_as, analyst):
    response = api_as(analyst).get("/api/workflows/modeler-options/")

    assert response.status_code == 200
    body = response.json()
    assert "payment_date_change/client_reply" in body["form_keys"]
    assert "payment_date_change/staff_review" in body["form_keys"]
    assert body["form_keys"] == sorted(body["form_keys"])
    assert {"apply_payment_date_change", "generate_decision_document", "send_client_reminder"} <= set(
        body["service_operations"]
    )
