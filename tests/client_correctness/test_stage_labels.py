"""A stage id nobody labelled is never shown raw to a client: the neutral "W trakcie obsługi"."""

from __future__ import annotations

import pytest

from backend.requests_app.catalogue import stage_label
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.client_correctness.helpers import submission, visible_text
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db

RAW = "Activity_0x9fq2k_unknown"


@pytest.fixture
def odd_request(api_as, client_user):
    body = submission("other_request", data={"subject": "Pytanie", "message": "Treść pytania."})
    created = api_as(client_user).post("/api/requests/", body, format="json")
    assert created.status_code == 201, created.json()
    request = PortalRequest.objects.get(pk=created.json()["id"])
    PortalRequest.objects.filter(pk=request.pk).update(stage=RAW)
    RequestEvent.objects.create(
        request=request, kind=RequestEvent.Kind.STAGE_CHANGED, author=RequestEvent.Author.SYSTEM, stage=RAW
    )
    return request


def test_the_function_gives_the_neutral_label():
    assert stage_label(RAW) == "W trakcie obsługi"
    assert stage_label("staff_review") != "W trakcie obsługi"


@pytest.mark.parametrize("url", ["/requests/", "/requests/{id}/", "/requests/{id}/status/"])
def test_pages_show_the_neutral_label(client, client_user, odd_request, url):
    response = logged_in(client, client_user).get(url.format(id=odd_request.pk))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert RAW not in text
    assert "W trakcie obsługi" in text


def test_the_api_gives_the_neutral_label(api_as, client_user, odd_request):
    detail = api_as(client_user).get(f"/api/requests/{odd_request.pk}/").json()
    assert detail["stage_label"] == "W trakcie obsługi"
    listed = api_as(client_user).get("/api/requests/").json()
    assert RAW not in str([row.get("stage_label") for row in listed["results"]])
