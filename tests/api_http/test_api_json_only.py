"""The API speaks JSON only: DRF's browsable HTML pages (inline styles the CSP blocks) are not served, while
the docs (Swagger UI) and the schema still open."""

from __future__ import annotations

import pytest

from tests.api_http.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


def test_a_browser_gets_json_not_the_browsable_page(api):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what a browser sends

    response = api.get("/api/invoices/", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_html_only_is_406_in_the_error_shape(api):
    response = api.get("/api/invoices/", HTTP_ACCEPT="text/html")

    assert assert_error_shape(response, 406)["code"] == "not_acceptable"


def test_options_advertises_json_only(api):
    response = api.options("/api/invoices/")

    assert response.status_code == 200
    assert response.json()["renders"] == ["application/json"]


def test_the_docs_and_the_schema_still_open(api):
    docs = api.get("/api/docs/", HTTP_ACCEPT="text/html")
    schema = api.get("/api/schema/")

    assert docs.status_code == 200
    assert docs["Content-Type"].startswith("text/html")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
