"""Decision documents start from one parsed template, copied per document: never shared between two."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from backend.requests_app.decision_document import blank_document


def test_each_document_starts_blank_whatever_the_previous_one_wrote():
    # given: a document filled in and saved
    first = blank_document()
    first.add_heading("Decyzja w sprawie wniosku W/1", level=1)
    first.add_paragraph("Treść pierwszej decyzji")
    first.save(io.BytesIO())

    # when
    second = blank_document()

    # then
    assert [paragraph.text for paragraph in second.paragraphs] == []
    assert second.styles["Normal"].font.size == Pt(11)


def test_a_copied_template_saves_a_valid_docx():
    document = blank_document()
    document.add_heading("Aneks do umowy UL/1", level=1)
    saved = io.BytesIO()
    document.save(saved)

    reopened = Document(io.BytesIO(saved.getvalue()))
    assert [(p.text, p.style.name) for p in reopened.paragraphs] == [("Aneks do umowy UL/1", "Heading 1")]
