"""The bounds of the archive check: shared by nested archives, enforced while unpacking, not from headers."""

from __future__ import annotations

import io
import zipfile

import pytest

from backend.core.exceptions import PortalValidationError
from backend.documents import file_contents
from backend.documents.uploads import sniff_kind
from tests.uploads_attack import corpus as c


def refusal(content: bytes) -> str:
    with pytest.raises(PortalValidationError) as refused:
        sniff_kind(content)
    return refused.value.message


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (c.real_docx(), "docx"),
        (c.docx({"word/embeddings/arkusz.xlsx": c.real_xlsx()}), "docx"),  # an embedded workbook
        (c.word_doc(), "doc"),
        (
            c.zip_of({"raty.xlsx": c.real_xlsx(), "pismo.doc": c.word_doc(), "umowa.docx": c.real_docx()}),
            "zip",
        ),
        (c.nested_zips(file_contents.MAX_NESTING), "zip"),
        (c.zip_of({}), "zip"),
    ],
)
def test_ordinary_office_files_and_archives_pass(content, kind):
    assert sniff_kind(content) == kind


def test_the_unpacked_total_is_shared_by_nested_archives(monkeypatch):
    # given: each inner archive alone fits the bound, the two together do not
    monkeypatch.setattr(file_contents, "MAX_ZIP_UNCOMPRESSED", 3 * 1024 * 1024)
    inner = c.zip_of({"dane.txt": c.moderately_compressible(2 * 1024 * 1024)})

    # when / then
    assert sniff_kind(c.zip_of({"a.zip": inner})) == "zip"
    assert "zbyt dużo miejsca" in refusal(c.zip_of({"a.zip": inner, "b.zip": inner}))


def test_the_entry_count_is_shared_by_nested_archives(monkeypatch):
    monkeypatch.setattr(file_contents, "MAX_ZIP_MEMBERS", 5)
    inner = c.zip_of({"1.pdf": c.PDF, "2.pdf": c.PDF})
    assert sniff_kind(c.zip_of({"a.zip": inner})) == "zip"
    assert "zbyt wiele plików" in refusal(c.zip_of({"a.zip": inner, "b.zip": inner}))


def test_the_bomb_is_stopped_at_the_bound_not_unpacked(monkeypatch):
    # given: a ratio bound that lets everything through, so only the total can stop the 3.2 GB bomb
    monkeypatch.setattr(file_contents, "MAX_ZIP_RATIO", 10**9)
    unpacked = []
    take_bytes = file_contents._Budget.take_bytes

    def counting(budget, count):
        unpacked.append(count)
        take_bytes(budget, count)

    monkeypatch.setattr(file_contents._Budget, "take_bytes", counting)

    # when
    message = refusal(c.nested_zip_bomb())

    # then: it read one chunk past the bound and stopped
    assert "zbyt dużo miejsca" in message
    assert (
        file_contents.MAX_ZIP_UNCOMPRESSED
        < sum(unpacked)
        <= file_contents.MAX_ZIP_UNCOMPRESSED + file_contents.CHUNK
    )


def test_a_lying_size_header_fools_zipfile_but_not_the_check():
    # given: 1 MiB of data whose headers declare 1 KiB, with the CRC of that KiB
    content = c.zip_longer_than_declared()

    # when / then: zipfile trusts the header and reads 1 KiB without complaint
    assert len(zipfile.ZipFile(io.BytesIO(content)).read("raport.txt")) == 1024
    assert "nie zgadza się z jego zawartością" in refusal(content)
