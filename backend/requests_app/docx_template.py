"""The DOCX every decision letter and annex is written on: python-docx's default template made a Polish
office document (A4, Polish proofing), parsed and zipped once per process, filled in one document at a time
(blank_document → add_paragraph → save_docx). What a decision says: decision_document.py."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.utils import timezone
from docx import Document as DocxDocument
from docx.document import Document as DocxDocumentType
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from backend.core.text_fields import normalize_line_breaks

_template_lock = threading.Lock()
# The characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The styles a decision uses, by name; their ids are looked up once (python-docx scans every style of
# the template for each lookup: a third of a document's rendering).
_STYLES = ("Heading 1", "Heading 2", "List Bullet")


class _Template:
    """python-docx's default template made a Polish office document (A4, Polish proofing), parsed once
    per process (about 45 ms) and never changed, with its style ids and its package zipped once without
    the parts each document writes itself (the body and the core properties).

    A decision only adds paragraphs to the body (word/document.xml) and names itself in
    docProps/core.xml; the other parts (styles of 790 kB, theme, numbering, settings) are the
    template's, so they are compressed once here instead of for every document (two thirds of
    python-docx's save).
    """

    def __init__(self) -> None:
        self.document = DocxDocument()
        self.document.styles["Normal"].font.size = Pt(11)
        _make_polish_a4(self.document)
        self.style_ids = {name: self.document.styles[name].style_id for name in _STYLES}
        self.body_part = self.document.part.partname.membername
        self.core_part = self.document.part.package._core_properties_part.partname.membername
        saved = io.BytesIO()
        self.document.save(saved)
        self.package_without_body = _without_parts(saved.getvalue(), {self.body_part, self.core_part})


# Polish proofing (Word underlined every Polish word under the template's en-US) and an A4 page with the
# margins of the lessor's letters; the section lives in the body, which every document keeps.
LANGUAGE = "pl-PL"
_LANG_ATTRIBUTES = (qn("w:val"), qn("w:eastAsia"))


def _make_polish_a4(document: DocxDocumentType) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2.5)
    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart):  # styles.xml (docDefaults), settings.xml (themeFontLang)
            for element in part.element.xpath(".//w:lang | .//w:themeFontLang"):
                for attribute in _LANG_ATTRIBUTES:
                    element.set(attribute, LANGUAGE)
        elif part.partname.endswith("stylesWithEffects.xml"):  # kept as bytes by python-docx
            part._blob = part.blob.replace(
                b'<w:lang w:val="en-US" w:eastAsia="en-US"', b'<w:lang w:val="pl-PL" w:eastAsia="pl-PL"'
            )


def _without_parts(package: bytes, names: set[str]) -> bytes:
    """The zip `package` without its members `names`, every other member as it was."""
    rest = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(rest, "w") as target:
        for member in source.infolist():
            if member.filename not in names:
                target.writestr(member, source.read(member))
    return rest.getvalue()


@cache
def _template() -> _Template:
    return _Template()


@contextmanager
def blank_document(*, title: str = "", author: str = "") -> Iterator[DocxDocumentType]:
    """The parsed template to fill in (add_paragraph) and save (save_docx), its body empty for this
    document and emptied after it, its core properties this document's (title, author, created now).

    Emptying the body costs microseconds where a deep copy of the whole template cost 6.5 ms of the
    worker's CPU per decision (#18). One document at a time: the lock.
    """
    with _template_lock:
        document = _template().document  # its body is empty: every document before it emptied it again
        _set_core_properties(document, title=title, author=author)
        try:
            yield document
        finally:
            _empty_body(document)


def _set_core_properties(document: DocxDocumentType, *, title: str, author: str) -> None:
    """Every property a document's reader sees, set for each document (none left from the previous one
    nor python-docx's own "generated by python-docx" of 2013)."""
    now = timezone.now().replace(microsecond=0)
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.comments = ""
    properties.created = properties.modified = now
    properties.revision = 1


def _empty_body(document: DocxDocumentType) -> None:
    """Remove everything but the section properties (the template's body holds nothing else)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def xml_text(text: str) -> str:
    """`text` as XML can hold it: line breaks as the text fields read them (a vertical tab is Word's
    Shift+Enter), any other character XML 1.0 refuses dropped. The text fields refuse those now, but a
    text stored before would fail every render ("All strings must be XML compatible") and the decision
    would never get its document."""
    return _NOT_XML.sub("", normalize_line_breaks(text))


def add_paragraph(document: DocxDocumentType, text: str, style: str | None = None) -> None:
    """Add a paragraph in one of the template's styles (_STYLES, by name) or the default one."""
    paragraph = document.add_paragraph(xml_text(text))
    if style is not None:
        # The id looked up once; python-docx's own setter would scan the styles again.
        paragraph._p.style = _template().style_ids[style]


def save_docx(document: DocxDocumentType) -> bytes:
    """The DOCX of the blank document filled in: the template's package zipped once, plus this document's
    core properties and body.

    The same members with the same content as python-docx's `save` (tests/requests_app/
    test_decision_template.py), the body written last.
    """
    template = _template()
    package = io.BytesIO(template.package_without_body)
    with zipfile.ZipFile(package, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(template.core_part, document.part.package._core_properties_part.blob)
        archive.writestr(template.body_part, document.part.blob)
    return package.getvalue()
