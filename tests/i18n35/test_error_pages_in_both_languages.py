"""The pages a user meets when something goes wrong, in English and in Polish: not found, refused, an
out-of-date form (CSRF), too many files, a form address opened by itself (the not-sent note), the server
error and the outage pages. None shows a line of the other language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

from backend.core.outage import outage_response, server_error
from tests.i18n35.crawl import data_strings, open_as
from tests.i18n35.leftovers import english_on_a_polish_page, polish_on_an_english_page, visible_lines

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "pl"]


def leftovers(html: str, language: str) -> list[str]:
    lines, data = visible_lines(html), data_strings()
    return (
        polish_on_an_english_page(lines, data) if language == "en" else english_on_a_polish_page(lines, data)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_refused_and_not_sent_pages(client_user, open_request, language):
    browser = open_as(client_user, language)
    pages = {
        "404": browser.get("/no-such-page/"),
        "403": browser.get("/staff/"),
        "not sent": browser.get(f"/requests/{open_request.pk}/reply/", follow=True),
    }
    assert [r.status_code for r in pages.values()] == [404, 403, 200]
    assert pages["not sent"].redirect_chain  # back to the request's page, with its note

    assert {name: leftovers(r.content.decode(), language) for name, r in pages.items()} == {
        name: [] for name in pages
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_out_of_date_form_and_too_many_files(client_user, language):
    browser = open_as(client_user, language)
    browser.handler.enforce_csrf_checks = True
    csrf = browser.post("/messages/new/", {"subject": "x", "body": "y"})
    browser.handler.enforce_csrf_checks = False
    files = [
        SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4", "application/pdf")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    too_many = browser.post("/messages/new/", {"subject": "x", "body": "y", "attachments": files})
    assert (csrf.status_code, too_many.status_code) == (403, 400)

    assert leftovers(csrf.content.decode(), language) == []
    assert leftovers(too_many.content.decode(), language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_server_error_and_outage_pages(language):
    request = RequestFactory().get("/invoices/")
    with translation.override(language):
        pages = [server_error(request), outage_response(request)]
    assert [p.status_code for p in pages] == [500, 503]

    assert [leftovers(p.content.decode(), language) for p in pages] == [[], []]
