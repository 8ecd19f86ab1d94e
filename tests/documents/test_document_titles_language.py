"""Documents the portal generates (decision letters, annexes) are titled in the reader's language on the
Documents list and in the request's history, and said to be in Polish to an English reader: the documents
themselves stay Polish (the contract's documents are legally Polish), and so do their stored titles."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.apps import apps
from docx import Document as DocxDocument

from backend.documents.models import Document
from backend.requests_app.models import PortalRequest
from tests.documents.test_apis import make_document
from tests.requests_app.test_flows import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks):
    """An approved payment day change (an annex) and a rejected other request (a decision letter)."""
    numbers = {}
    with django_capture_on_commit_callbacks(execute=True):
        annex_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
        api_as(bok_staff).post(f"/api/staff/requests/{annex_id}/approve/", {}, format="json")
        letter_id = submit(api_as(client_user), "other_request", None)["id"]
        api_as(bok_staff).post(
            f"/api/staff/requests/{letter_id}/reject/", {"reason": "Brak podstaw."}, format="json"
        )
    for name, pk in (("annex", annex_id), ("letter", letter_id)):
        portal_request = PortalRequest.objects.get(pk=pk)
        assert portal_request.decision_document_id, name
        numbers[name] = portal_request
    return numbers


def document_titles(client, user, language: str) -> list[str]:
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    html = client.get("/documents/").content.decode()
    rows = re.findall(r'<th scope="row"[^>]* data-label="[^"]*">(.*?)</th>', html, re.S)
    return [re.sub(r"<[^>]+>", "", row).strip() for row in rows]


def test_an_english_reader_sees_generated_titles_in_english_marked_as_polish(client, client_user, decided):
    annex, letter = decided["annex"], decided["letter"]

    titles = document_titles(client, client_user, "en")

    assert f"Annex to contract {annex.contract.number} (request {annex.number}) (in Polish)" in titles
    assert f"Decision on request {letter.number} (in Polish)" in titles
    assert not any("Aneks" in title or "Decyzja" in title for title in titles)


def test_a_polish_reader_sees_the_documents_own_titles_without_a_mark(client, client_user, decided):
    annex, letter = decided["annex"], decided["letter"]

    titles = document_titles(client, client_user, "pl")

    assert sorted(titles) == sorted(
        [
            f"Aneks do umowy {annex.contract.number} (wniosek {annex.number})",
            f"Decyzja w sprawie wniosku {letter.number}",
        ]
    )


def test_the_stored_titles_and_the_documents_stay_polish(decided):
    annex = decided["annex"]
    document = annex.decision_document

    assert document.title == f"Aneks do umowy {annex.contract.number} (wniosek {annex.number})"
    assert (document.request_number, document.language) == (annex.number, "pl")
    with document.file.open("rb") as handle:
        heading = DocxDocument(io.BytesIO(handle.read())).paragraphs[0].text
    assert heading == document.title


def test_the_request_history_names_the_document_in_the_readers_language(client, client_user, decided):
    letter = decided["letter"]
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    client.force_login(client_user)

    html = client.get(f"/requests/{letter.pk}/").content.decode()

    history = html[html.index('id="request-history"') :]
    assert f"Decision on request {letter.number} (in Polish)" in history
    assert "Decyzja w sprawie" not in history


def test_a_bilingual_permit_and_a_back_office_document_keep_their_titles(client, client_user, acme):
    make_document(acme, title="Potwierdzenie salda na dzień 31.12.2025", issued_on=date(2026, 1, 10))
    permit = make_document(
        acme, kind="decision", title="Zgoda na wyjazd za granicę / Permit to go abroad (WN/2026/000007)"
    )
    Document.objects.filter(pk=permit.pk).update(request_number="WN/2026/000007", language="pl-en")

    titles = document_titles(client, client_user, "en")

    assert titles == [
        "Zgoda na wyjazd za granicę / Permit to go abroad (WN/2026/000007)",
        "Potwierdzenie salda na dzień 31.12.2025 (in Polish)",
    ]


def test_the_migration_recognises_the_documents_generated_before_it(acme):
    from importlib import import_module

    migration = import_module("backend.documents.migrations.0003_document_request_number_language")
    made = {
        title: make_document(acme, kind=kind, title=title)
        for kind, title in (
            ("decision", "Decyzja w sprawie wniosku WN/2026/000035"),
            ("annex", "Aneks do umowy UL/2025/01000014 (wniosek WN/2026/000034)"),
            ("decision", "Zgoda na wyjazd za granicę / Permit to go abroad (WN/2026/000007)"),
            ("compensation_note", "Nota kompensacyjna KP/2026/01000012013"),
        )
    }

    migration.mark_generated_documents(apps, None)

    found = {
        title: tuple(Document.objects.filter(pk=document.pk).values_list("request_number", "language").get())
        for title, document in made.items()
    }
    assert list(found.values()) == [
        ("WN/2026/000035", "pl"),
        ("WN/2026/000034", "pl"),
        ("WN/2026/000007", "pl-en"),
        ("", "pl"),
    ]
