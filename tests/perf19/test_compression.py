"""Pages and API answers travel gzipped when the browser accepts it (backend/core/compression.py), with
Django's padding against BREACH; downloads and other streamed answers are left as they are."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from tests.documents.test_apis import make_document
from tests.factories import ContractFactory

ACCEPTS = {"Accept-Encoding": "gzip, deflate, br"}
GZIP_FNAME_FLAG = 0x08  # the header's file name field: Django's random padding (Heal The Breach)


@pytest.fixture
def page_client(client_user, acme) -> Client:
    for number in range(12):
        ContractFactory(client=acme, number=f"UL/2026/{number:04d}")
    browser = Client()
    browser.force_login(client_user)
    return browser


def test_a_page_is_gzipped_with_the_breach_padding(page_client):
    # when
    plain = page_client.get("/contracts/")
    packed = page_client.get("/contracts/", headers=ACCEPTS)

    # then
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed.content[3] & GZIP_FNAME_FLAG
    html = gzip.decompress(packed.content).decode()
    assert "UL/2026/0011" in html
    assert len(packed.content) < len(plain.content) / 3
    # the other headers are those of every page
    assert "no-store" in packed["Cache-Control"]
    assert "Content-Security-Policy" in packed


def test_an_api_answer_is_gzipped(api_as, client_user, acme):
    # given
    for number in range(12):
        ContractFactory(client=acme, number=f"UL/2026/{number:04d}")

    # when
    response = api_as(client_user).get("/api/contracts/", headers=ACCEPTS)

    # then
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"UL/2026/0011" in gzip.decompress(response.content)


def test_a_file_download_is_sent_as_it_is(api_as, client_user, acme):
    # given: a PDF (compressed already), streamed
    document = make_document(acme)

    # when
    response = api_as(client_user).get(f"/api/documents/{document.pk}/download/", headers=ACCEPTS)

    # then
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF")
