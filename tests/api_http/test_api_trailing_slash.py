"""An unsafe API call without its trailing slash is a 404 naming the path, never a redirect a client would
follow with a GET (which read the list and created nothing)."""

from __future__ import annotations

import pytest

from backend.requests_app.models import PortalRequest
from tests.api_http.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "meant"),
    [
        ("post", "/api/requests", "/api/requests/"),
        ("post", "/api/notices/read-all", "/api/notices/read-all/"),
        ("put", "/api/drafts?form_key=x", "/api/drafts/?form_key=x"),
        ("delete", "/api/drafts", "/api/drafts/"),
    ],
)
def test_an_unsafe_call_without_the_slash_is_a_404_naming_the_path(api, method, path, meant):
    response = getattr(api, method)(path, {}, format="json")

    body = assert_error_shape(response, 404)
    assert body["code"] == "not_found"
    assert body["message"] == f"Ten adres kończy się ukośnikiem: {meant}"
    assert not PortalRequest.objects.exists()


def test_a_get_without_the_slash_is_still_redirected(api):
    response = api.get("/api/invoices")

    assert response.status_code == 301
    assert response["Location"] == "/api/invoices/"


def test_an_unknown_api_path_is_the_plain_not_found(api):
    body = assert_error_shape(api.post("/api/nothing", {}, format="json"), 404)
    assert body["message"] == "Nie znaleziono."


def test_a_page_post_without_the_slash_is_redirected_as_before(api):
    response = api.post("/client/switch", {"client_id": "1"})

    assert response.status_code == 301
    assert response["Location"] == "/client/switch/"
