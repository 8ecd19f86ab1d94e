"""Content-Security-Policy and no-store headers (issue #12), checked on real responses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.documents.test_apis import make_document
from tests.factories import ContractFactory, InvoiceFactory
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_no_store(response) -> None:
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert response["Pragma"] == "no-cache"


@pytest.fixture
def client_browser(client_user) -> Client:
    return browsing_as(client_user)


@pytest.mark.parametrize("path", ["/login/", "/password-reset/"])
def test_public_pages_carry_the_strict_policy(client, path):
    # when
    response = client.get(path)

    # then
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]


def test_logged_in_pages_carry_the_policy_and_allow_the_live_socket(client_browser, acme):
    # given
    contract = ContractFactory(client=acme)

    for path in ["/", "/invoices/", "/contracts/", f"/contracts/{contract.pk}/", "/requests/", "/messages/"]:
        # when
        response = client_browser.get(path)

        # then
        assert response.status_code == 200, path
        directives = policy(response)
        assert "'unsafe-inline'" not in directives["script-src"], path
        assert "'unsafe-eval'" not in directives["script-src"], path
        assert "'self'" in directives["connect-src"], path


def test_the_api_docs_run_under_the_policy_from_local_files(client):
    # The Swagger UI comes from drf-spectacular-sidecar (static files) and its set-up script from a URL.
    response = client.get("/api/docs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "'unsafe-inline'" not in policy(response)["script-src"]
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "//cdn" not in body and "https://" not in body
    setup_script = client.get("/api/docs/?script=")
    assert setup_script.status_code == 200
    assert setup_script["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize(
    "path", ["/", "/invoices/", "/contracts/", "/requests/", "/requests/new/", "/messages/"]
)
def test_logged_in_pages_are_no_store(client_browser, path):
    response = client_browser.get(path)
    assert response.status_code == 200
    assert_no_store(response)


def test_the_login_page_is_no_store_too(client):
    # It carries a CSRF token: no page outside /static/ is worth a cached copy.
    assert_no_store(client.get("/login/"))


def test_api_answers_are_no_store_logged_in_or_not(api_as, client_user, acme):
    # given
    InvoiceFactory(client=acme)

    # when
    own = api_as(client_user).get("/api/invoices/")
    anonymous = Client().get("/api/invoices/")

    # then
    assert own.status_code == 200
    assert_no_store(own)
    assert anonymous.status_code in {401, 403}
    assert_no_store(anonymous)


def test_invoice_pdf_download_is_no_store(api_as, client_user, acme):
    # given
    invoice = InvoiceFactory(client=acme)

    # when
    response = api_as(client_user).get(f"/api/invoices/{invoice.pk}/pdf/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_no_store(response)


def test_document_download_is_no_store(api_as, client_user, acme):
    # given
    document = make_document(acme)

    # when
    response = api_as(client_user).get(f"/api/documents/{document.pk}/download/")

    # then
    assert response.status_code == 200
    assert_no_store(response)


def test_static_files_keep_their_caching_and_get_no_policy(client):
    # when
    response = client.get(f"{settings.STATIC_URL}portal_ui/portal.css")

    # then
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
    assert "Content-Security-Policy" not in response


def test_the_bank_simulator_pages_carry_the_policy_and_no_store(client):
    response = client.get("/bank-simulator/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in policy(response)["script-src"]
    assert_no_store(response)


# --- templates: nothing the policy would block ------------------------------------------------------

# Templates a browser renders as a page; e-mails and the PDF template (WeasyPrint) never meet the policy.
PAGE_TEMPLATES = sorted(
    path
    for folder in ["portal_ui/templates", "notifications/templates", "backend"]
    for path in (ROOT / folder).rglob("*.html")
    if "templates" in path.parts and "email" not in path.parts and path.name != "invoice_pdf.html"
)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[a-z][^>]*\sstyle\s*=", re.I)


def test_the_page_templates_are_found():
    names = {path.name for path in PAGE_TEMPLATES}
    assert {"base.html", "handoff.html", "flow_editor.html", "_bell.html"} <= names


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_page_templates_have_no_inline_script_handler_or_style(template):
    source = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(source), "inline <script>: move it to a static file"
    assert not EVENT_HANDLER.search(source), "inline on…= handler: attach it from a static script"
    assert "javascript:" not in source.lower()
    assert not INLINE_STYLE.search(source), "inline style: move it to a stylesheet"
