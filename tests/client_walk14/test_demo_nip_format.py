"""The demo's documents write a NIP as every other document does (123-456-78-90, core/identifiers.py):
balance confirmations (the lessor's and the client's) and compensation notes, as the invoice PDFs."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from backend.core.identifiers import format_nip
from backend.core.lessor import DEFAULT_LESSOR
from backend.demo.seed import seed_demo
from backend.documents.models import Document

pytestmark = pytest.mark.django_db


def text_of(document: Document) -> str:
    return PdfReader(BytesIO(document.file.read())).pages[0].extract_text()


def test_balance_confirmations_and_compensation_notes_format_the_nip():
    seed_demo(clients=3, seed=1, today=date(2026, 6, 15))
    confirmation = Document.objects.filter(kind=Document.Kind.BALANCE_CONFIRMATION).first()
    note = Document.objects.filter(kind=Document.Kind.COMPENSATION_NOTE).first()

    confirmation_text, note_text = text_of(confirmation), text_of(note)

    assert f"NIP {format_nip(DEFAULT_LESSOR['nip'])}" in confirmation_text
    assert f"NIP {format_nip(confirmation.client.nip)}" in confirmation_text
    assert f"NIP {format_nip(note.client.nip)}" in note_text
    for text, nip in ((confirmation_text, confirmation.client.nip), (note_text, note.client.nip)):
        assert nip not in text and DEFAULT_LESSOR["nip"] not in text
