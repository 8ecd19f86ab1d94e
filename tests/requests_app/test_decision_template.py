"""Decision documents are written on one parsed template whose body is emptied for each document: never
anything of one document in another, and the template itself left as it was. The package is the
template's, zipped once, with each document's body: the same DOCX as python-docx's own save."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.shared import Pt

from backend.requests_app.docx_template import add_paragraph, blank_document, save_docx


def write(title: str, lines: list[str]) -> bytes:
    with blank_document() as document:
        add_paragraph(document, title, "Heading 1")
        for line in lines:
            add_paragraph(document, line, "List Bullet")
        return save_docx(document)


def members(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {name: package.read(name) for name in package.namelist()}


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


def test_the_package_is_python_docx_own_save_of_the_same_document():
    # given: a document in every style a decision uses, saved both ways
    with blank_document() as document:
        add_paragraph(document, "Aneks do umowy UL/4 (wniosek W/4)", "Heading 1")
        add_paragraph(document, "Klient: Flota & <Syn> sp. z o.o., NIP 123-456-32-18")
        add_paragraph(document, "Decyzja: wniosek został rozpatrzony pozytywnie.", "Heading 2")
        add_paragraph(document, "Nowy dzień płatności rat: 20.", "List Bullet")
        fast = save_docx(document)
        by_python_docx = io.BytesIO()
        document.save(by_python_docx)

    # then: the same members with the same bytes, the body last, and it opens
    assert members(fast) == members(by_python_docx.getvalue())
    with zipfile.ZipFile(io.BytesIO(fast)) as package:
        assert package.testzip() is None
        assert package.namelist()[0] == "[Content_Types].xml"
        assert package.namelist()[-1] == "word/document.xml"
    reopened = Document(io.BytesIO(fast))
    assert [(p.text, p.style.name) for p in reopened.paragraphs] == [
        ("Aneks do umowy UL/4 (wniosek W/4)", "Heading 1"),
        ("Klient: Flota & <Syn> sp. z o.o., NIP 123-456-32-18", "Normal"),
        ("Decyzja: wniosek został rozpatrzony pozytywnie.", "Heading 2"),
        ("Nowy dzień płatności rat: 20.", "List Bullet"),
    ]
