"""Decision documents are written on one parsed template whose body is emptied for each document: never
anything of one document in another, and the template itself left as it was."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.shared import Pt

from backend.requests_app.decision_document import blank_document


def write(title: str, lines: list[str]) -> bytes:
    with blank_document() as document:
        document.add_heading(title, level=1)
        for line in lines:
            document.add_paragraph(line, style="List Bullet")
        saved = io.BytesIO()
        document.save(saved)
        return saved.getvalue()


def body_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml")


def test_each_document_starts_blank_whatever_the_previous_one_wrote():
    # given: a document filled in and saved
    write("Decyzja w sprawie wniosku W/1", ["Treść pierwszej decyzji"])

    # when
    with blank_document() as second:
        paragraphs = [paragraph.text for paragraph in second.paragraphs]
        normal_size = second.styles["Normal"].font.size

    # then
    assert paragraphs == []
    assert normal_size == Pt(11)


def test_a_document_is_the_same_whatever_was_written_before_it():
    # given
    alone = write("Aneks do umowy UL/2", ["Nowy dzień płatności rat: 20."])

    # when: other documents, a failed one among them, come between
    write("Decyzja w sprawie wniosku W/3", ["a", "b", "c"])
    try:
        with blank_document() as broken:
            broken.add_paragraph("half written")
            raise RuntimeError("the worker's render failed here")
    except RuntimeError:
        pass
    again = write("Aneks do umowy UL/2", ["Nowy dzień płatności rat: 20."])

    # then
    assert body_xml(again) == body_xml(alone)


def test_a_written_template_saves_a_valid_docx():
    reopened = Document(io.BytesIO(write("Aneks do umowy UL/1", ["Zmiana"])))
    assert [(p.text, p.style.name) for p in reopened.paragraphs] == [
        ("Aneks do umowy UL/1", "Heading 1"),
        ("Zmiana", "List Bullet"),
    ]
