"""The attack corpus of issue #12, generated into a temporary folder: one file per attack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.uploads_attack import corpus as c


@dataclass(frozen=True)
class Attack:
    """One hostile file: what the client calls it and a phrase of the (Polish) refusal that explains it."""

    id: str
    name: str
    refusal: str
    path: Path

    @property
    def content(self) -> bytes:
        return self.path.read_bytes()


MACROS = "Pliki z makrami nie są akceptowane"
NOT_WORD = "nie jest dokumentem Word"
DAMAGED_OFFICE = "Plik pakietu Office jest uszkodzony"
SIZES_LIE = "nie zgadza się z jego zawartością"
UNSAFE_PATH = "niebezpieczną ścieżkę"
RELS = "word/_rels/document.xml.rels"
ENTITY_CONTENT_TYPES = (
    b'<!DOCTYPE Types [<!ENTITY m "macroEnabled">]>'
    b'<Types><Override PartName="/word/document.xml" ContentType="&m;"/></Types>'
)

# id → (the client's file name, a phrase of the refusal, the builder of the content)
ATTACKS: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    # macros, by name, by part, by declared type, in OLE2 storages, at any depth
    "docm_extension": ("umowa.docm", MACROS, lambda: c.docx()),
    "docx_with_vba_project": ("umowa.docx", MACROS, lambda: c.docx({"word/vbaProject.bin": b"\0" * 64})),
    "vba_project_anywhere_any_case": (
        "umowa.docx",
        MACROS,
        lambda: c.docx({"customXml/VBAPROJECT.BIN": b"\0"}),
    ),
    "macro_enabled_main_type": ("umowa.docx", MACROS, lambda: c.docx(main=c.DOCM_MAIN)),
    "vba_project_renamed_but_declared": (
        "umowa.docx",
        MACROS,
        lambda: c.docx(
            {RELS: c.relationships((c.VBA_RELATIONSHIP, "dane.bin")), "word/dane.bin": b"\0"},
            content_types_extra=f'<Default Extension="bin" ContentType="{c.VBA_PROJECT_TYPE}"/>',
        ),
    ),
    "macro_type_hidden_in_an_entity": (
        "umowa.docx",
        DAMAGED_OFFICE,
        lambda: c.zip_of({"[Content_Types].xml": ENTITY_CONTENT_TYPES, "word/document.xml": b"<document/>"}),
    ),
    "xlsx_with_vba_project": ("arkusz.xlsx", MACROS, lambda: c.zip_of({"xl/vbaProject.bin": b"\0"})),
    "doc_with_macros_storage": ("stary.doc", MACROS, lambda: c.word_doc(**{"Macros/VBA/dir": b"\0"})),
    "xls_with_vba_project_storage": (
        "arkusz.xls",
        MACROS,
        lambda: c.compound_file({"Workbook": b"\0", "_VBA_PROJECT_CUR/VBA/dir": b"\0"}),
    ),
    "zip_holding_a_docm": ("paczka.zip", MACROS, lambda: c.zip_of({"umowy/umowa.docm": c.docx()})),
    "zip_holding_a_docx_with_macros": (
        "paczka.zip",
        MACROS,
        lambda: c.zip_of({"umowa.docx": c.docx({"word/vbaProject.bin": b"\0"})}),
    ),
    "zip_holding_a_doc_with_macros": (
        "paczka.zip",
        MACROS,
        lambda: c.zip_of({"stary.doc": c.word_doc(**{"Macros/VBA/dir": b"\0"})}),
    ),
    # OLE2 and Office Open XML files that are not Word documents
    "ole2_without_word_stream": ("pismo.doc", NOT_WORD, lambda: c.compound_file({"Contents": b"\0"})),
    "excel_workbook_as_doc": ("pismo.doc", NOT_WORD, lambda: c.compound_file({"Workbook": b"\0"})),
    "bare_ole2_header": ("pismo.doc", DAMAGED_OFFICE, lambda: c.OLE2_MAGIC + b"\0" * 512),
    "password_protected_docx": (
        "umowa.docx",
        "chronione hasłem",
        lambda: c.compound_file({"EncryptionInfo": b"\0", "EncryptedPackage": b"\0"}),
    ),
    "ooxml_that_is_not_word": (
        "arkusz.xlsx",
        NOT_WORD,
        lambda: c.zip_of({"[Content_Types].xml": b"<Types/>"}),
    ),
    # archives: bombs, links, lying headers, unsafe paths
    "nested_zip_bomb_3_2_gb": ("bomba.zip", "zbyt dużo miejsca", c.nested_zip_bomb),
    "archives_nested_three_deep": ("gleboko.zip", "zagnieżdżone głębiej niż 2", lambda: c.nested_zips(3)),
    "symlink_entry": ("link.zip", "dowiązanie symboliczne: passwd", c.symlink_zip),
    "stream_longer_than_declared": ("raport.zip", SIZES_LIE, c.zip_longer_than_declared),
    "stream_shorter_than_declared": ("raport.zip", SIZES_LIE, c.zip_shorter_than_declared),
    "stored_entry_sizes_differ": ("raport.zip", SIZES_LIE, c.zip_stored_sizes_differ),
    "packed_bytes_after_the_stream": ("raport.zip", SIZES_LIE, c.zip_with_trailing_packed_bytes),
    "local_header_names_another_file": (
        "raport.zip",
        "Archiwum ZIP jest uszkodzone",
        c.zip_local_name_differs,
    ),
    "backslash_traversal": ("wyjscie.zip", UNSAFE_PATH, lambda: c.zip_of({"..\\..\\evil.bat": b"x"})),
    "traversal_inside_a_path": ("wyjscie.zip", UNSAFE_PATH, lambda: c.zip_of({"a/../../x": b"x"})),
    "drive_letter_path": ("wyjscie.zip", UNSAFE_PATH, lambda: c.zip_of({"C:/Windows/x.dll": b"x"})),
    "unsupported_compression": (
        "raport.zip",
        "metody kompresji",
        lambda: c.zip_archive([c.entry("raport.txt", b"x" * 100, method=c.BZIP2)]),
    ),
}


@pytest.fixture(scope="session")
def attack_corpus(tmp_path_factory) -> dict[str, Attack]:
    """Write every attack to a file of its own (built once per test run) and return them by id."""
    folder = tmp_path_factory.mktemp("uploads_attack")
    attacks = {}
    for attack_id, (name, refusal, build) in ATTACKS.items():
        path = folder / attack_id / name
        path.parent.mkdir()
        path.write_bytes(build())
        attacks[attack_id] = Attack(attack_id, name, refusal, path)
    return attacks
