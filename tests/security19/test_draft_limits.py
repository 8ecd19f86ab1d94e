"""PUT /api/drafts/ keeps drafts of real forms only, in a bounded number: "request:<kind>" names a kind of the
request catalogue, a user keeps at most MAX_DRAFTS_PER_USER drafts (another new one is a 409 naming the way
out; none is dropped unasked; replacing a kept draft still works), and saves are throttled (`drafts`)."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from backend.drafts import services
from backend.drafts.models import Draft

pytestmark = pytest.mark.django_db

URL = "/api/drafts/"


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


def put(api, key: str, text: str = "x"):
    return api.put(URL, {"form_key": key, "data": {"body": text}}, format="json")


@pytest.mark.parametrize("key", ["request:junk", "request:zz_0", "request:complaintx"])
def test_a_request_draft_names_a_kind_of_the_catalogue(api, key):
    response = put(api, key)
    assert response.status_code == 400, response.content
    assert "form_key" in response.json()["fields"]
    assert not Draft.objects.exists()
    assert put(api, "request:complaint").status_code == 200


def test_drafts_are_capped_per_user_and_the_oldest_kept(api, client_user, acme, settings):
    settings.API_THROTTLE_ENABLED = False
    Draft.objects.bulk_create(
        Draft(user=client_user, client=acme, form_key=f"message:reply:{n}", data={})
        for n in range(1, services.MAX_DRAFTS_PER_USER + 1)
    )

    refused = put(api, "request:complaint")
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "too_many_drafts"
    assert Draft.objects.filter(user=client_user).count() == services.MAX_DRAFTS_PER_USER
    assert Draft.objects.filter(form_key="message:reply:1").exists()
    # a draft kept is still replaced: typing on in an open form is never refused
    Draft.objects.filter(form_key="message:reply:1").delete()
    assert put(api, "message:new").status_code == 200
    assert put(api, "message:new", "more").status_code == 200
    # once one is sent or discarded, a new one is saved again
    api.delete(f"{URL}?form_key=message:new")
    assert put(api, "request:complaint").status_code == 200


def test_saves_are_throttled_in_their_own_scope(api, settings):
    caches["throttle"].clear()
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "drafts": "3/hour"}
    codes = [put(api, "message:new", str(n)).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert api.get(URL).status_code == 200  # reads are not counted
