"""What an upload's bytes hold, read without trusting them: OLE2 compound files (DOC) and ZIP archives (ZIP,
DOCX).

A ZIP is read entry by entry and decompressed in chunks: what its headers say (sizes, paths, file types) is
checked against what the entries really hold, never trusted, and archives inside it are read the same way
down to MAX_NESTING levels, all drawing on one budget of entries and unpacked bytes. Macros are refused
wherever they are declared: by name, by OLE2 storage, by an Office index's content type. The upload itself
(size, kind, name, storage) is uploads.py's.
"""

from __future__ import annotations

import io
import itertools
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO
from xml.parsers import expat

import olefile
from django.utils.translation import gettext as _

from backend.core.exceptions import PortalValidationError

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # local file header, empty archive
MAX_ZIP_MEMBERS = 1000  # entries of the upload and of every archive inside it, together
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024  # bytes unpacked from the upload and every archive inside it
MAX_ZIP_RATIO = 100  # one entry's unpacked bytes per stored byte
MAX_NESTING = 2  # archives inside the uploaded one, inside one another
CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024  # a nested archive larger than this is read back from a temporary file

MACRO_EXTENSIONS = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "ppam", "sldm"})
MACRO_PART = "vbaproject.bin"
MACRO_OLE_STORAGES = frozenset({"macros", "vba", "_vba_project", "_vba_project_cur"})
# Declared in [Content_Types].xml and the .rels parts of an Office Open XML file that carries macros.
MACRO_TYPE_MARKERS = ("macroenabled", "vbaproject", "vbadata")
LOCAL_HEADER = struct.Struct("<4s2xH18xHH")  # signature, flags, name length, extra field length


@dataclass
class _Budget:
    """What one upload may still unpack; every archive nested in it draws on the same budget."""

    members: int
    unpacked: int

    def take_members(self, count: int) -> None:
        self.members -= count
        if self.members < 0:
            raise refused(_("The ZIP archive holds too many files."))

    def take_bytes(self, count: int) -> None:
        self.unpacked -= count
        if self.unpacked < 0:
            raise _too_much_data()


# --- refusals -------------------------------------------------------------------------------------


def refused(reason: str) -> PortalValidationError:
    return PortalValidationError(reason, fields={"file": [reason]})


def _too_much_data() -> PortalValidationError:
    return refused(_("The ZIP archive unpacks to too much data."))


def _damaged_zip() -> PortalValidationError:
    return refused(_("The ZIP archive is damaged."))


def _sizes_lie(member: zipfile.ZipInfo) -> PortalValidationError:
    return refused(
        _("The ZIP archive is damaged: the recorded size of %(name)s does not match its content.")
        % {"name": member.filename}
    )


def has_macros() -> PortalValidationError:
    return refused(_("Files with macros are not accepted."))


def _not_word() -> PortalValidationError:
    return refused(
        _("This Office file is not a Word document; only PDF, Word (DOC, DOCX) and ZIP files are accepted.")
    )


def _damaged_office_file() -> PortalValidationError:
    return refused(_("The Office file is damaged."))


def is_macro_name(name: str) -> bool:
    lowered = name.lower()
    _stem, dot, extension = lowered.rpartition(".")
    return lowered == MACRO_PART or (bool(dot) and extension in MACRO_EXTENSIONS)


# --- OLE2 compound files (DOC) --------------------------------------------------------------------


def _ole_paths(source: BinaryIO) -> list[list[str]]:
    """Return the path of every storage and stream of an OLE2 compound file, in lower case."""
    try:
        with olefile.OleFileIO(source) as ole:
            paths = ole.listdir(streams=True, storages=True)
    except Exception as exc:  # a crafted file makes olefile fail in many ways; each means "damaged"
        raise _damaged_office_file() from exc
    return [[part.lower() for part in path] for path in paths]


def _refuse_ole_macros(paths: list[list[str]]) -> None:
    if any(part in MACRO_OLE_STORAGES for path in paths for part in path):
        raise has_macros()


def ole_kind(content: bytes) -> str:
    paths = _ole_paths(io.BytesIO(content))
    _refuse_ole_macros(paths)
    top = {path[0] for path in paths}
    if "encryptedpackage" in top:  # a password-protected DOCX: its content cannot be checked
        raise refused(_("Password-protected files are not accepted."))
    if "worddocument" not in top:
        raise _not_word()
    return "doc"


# --- ZIP archives (ZIP, DOCX) ---------------------------------------------------------------------


def zip_kind(content: bytes) -> str:
    budget = _Budget(members=MAX_ZIP_MEMBERS, unpacked=MAX_ZIP_UNCOMPRESSED)
    names = _check_zip(io.BytesIO(content), budget=budget, depth=0)
    if "[content_types].xml" not in names:
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    raise _not_word()


def _check_zip(source: BinaryIO, *, budget: _Budget, depth: int) -> set[str]:
    """Check every entry of the archive by reading it; return the entry names in lower case."""
    try:
        members = zipfile.ZipFile(source).infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise _damaged_zip() from exc
    budget.take_members(len(members))
    names = {member.filename.lower() for member in members}
    is_office_file = "[content_types].xml" in names
    for member in members:
        _check_entry_header(member)
        try:
            _check_entry_content(source, member, budget=budget, depth=depth, in_office_file=is_office_file)
        except zlib.error as exc:
            raise _damaged_zip() from exc
    return names


def _check_entry_header(member: zipfile.ZipInfo) -> None:
    """Refuse what an entry declares before it is read: an unsafe path, a link, encryption, macros."""
    name = member.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts:
        raise refused(_("The ZIP archive contains an unsafe path: %(name)s") % {"name": name})
    if stat.S_ISLNK(member.external_attr >> 16):
        raise refused(_("The ZIP archive contains a symbolic link: %(name)s") % {"name": name})
    if member.flag_bits & 0x1:
        raise refused(_("Encrypted ZIP archives are not accepted."))
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise refused(
            _("The ZIP archive uses a compression method that cannot be checked: %(name)s") % {"name": name}
        )
    if is_macro_name(parts[-1]):
        raise has_macros()


def _check_entry_content(
    source: BinaryIO, member: zipfile.ZipInfo, *, budget: _Budget, depth: int, in_office_file: bool
) -> None:
    """Unpack the entry (which checks its sizes) and look into what may declare macros or hold more."""
    chunks = _unpacked_chunks(source, member, budget=budget)
    if in_office_file and _is_office_index(member.filename):
        _refuse_declared_macros(chunks)
        return
    head, chunks = _peek(chunks, len(OLE2_MAGIC))
    if head.startswith(OLE2_MAGIC):
        with _spooled(chunks) as copy:
            _refuse_ole_macros(_ole_paths(copy))
    elif head.startswith(ZIP_MAGICS):
        if depth >= MAX_NESTING:
            raise refused(
                _("The ZIP archive holds archives nested more than %(depth)s levels deep.")
                % {"depth": MAX_NESTING}
            )
        with _spooled(chunks) as copy:
            _check_zip(copy, budget=budget, depth=depth + 1)
    else:
        for _chunk in chunks:  # reading the entry to its end is what checks its sizes
            pass


def _unpacked_chunks(source: BinaryIO, member: zipfile.ZipInfo, *, budget: _Budget) -> Iterator[bytes]:
    """Yield the entry's bytes as they unpack; refuse as soon as they break a bound or the header."""
    produced, crc = 0, 0
    for chunk in _inflated(_packed_chunks(source, member), member):
        produced += len(chunk)
        if produced > member.file_size:
            raise _sizes_lie(member)
        if produced > MAX_ZIP_RATIO * member.compress_size:
            raise _too_much_data()
        budget.take_bytes(len(chunk))
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != member.file_size:
        raise _sizes_lie(member)
    if crc != member.CRC:
        raise _damaged_zip()


def _packed_chunks(source: BinaryIO, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield the entry's stored bytes, found through its local header as an unzip tool finds them."""
    if member.header_offset < 0:
        raise _damaged_zip()
    source.seek(member.header_offset)
    header = source.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size:
        raise _damaged_zip()
    signature, flags, name_length, extra_length = LOCAL_HEADER.unpack(header)
    local_name = source.read(name_length).decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
    if signature != ZIP_MAGICS[0] or local_name != member.orig_filename:
        raise _damaged_zip()  # a tool reading the local headers would see another file than we check
    position = source.tell() + extra_length
    left = member.compress_size
    while left > 0:
        source.seek(position)
        packed = source.read(min(CHUNK, left))
        if not packed:
            raise _sizes_lie(member)
        position += len(packed)
        left -= len(packed)
        yield packed


def _inflated(packed_chunks: Iterable[bytes], member: zipfile.ZipInfo) -> Iterator[bytes]:
    """Decompress in bounded chunks; the compressed stream must end exactly where the header says."""
    if member.compress_type == zipfile.ZIP_STORED:
        yield from packed_chunks
        return
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    for packed in packed_chunks:
        while packed and not inflate.eof:
            chunk = inflate.decompress(packed, CHUNK)
            if not chunk and len(inflate.unconsumed_tail) == len(packed):
                raise _damaged_zip()  # zlib took nothing and gave nothing: it never would
            packed = inflate.unconsumed_tail
            yield chunk
        if inflate.eof and (packed or inflate.unused_data):
            raise _sizes_lie(member)
    yield inflate.flush()  # the few bytes zlib may still hold once every stored byte went in
    if member.compress_size and not inflate.eof:
        raise _sizes_lie(member)


def _peek(chunks: Iterator[bytes], size: int) -> tuple[bytes, Iterator[bytes]]:
    """Return the first `size` bytes (or all, if fewer) and the chunks again from the start."""
    taken: list[bytes] = []
    for chunk in chunks:
        taken.append(chunk)
        if sum(map(len, taken)) >= size:
            break
    head = b"".join(taken)
    return head[:size], itertools.chain([head], chunks)


@contextmanager
def _spooled(chunks: Iterable[bytes]) -> Iterator[BinaryIO]:
    """Copy the chunks to a file, in memory while it is small, and give it rewound to the caller."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as copy:
        for chunk in chunks:
            copy.write(chunk)
        copy.seek(0)
        yield copy


def _is_office_index(name: str) -> bool:
    lowered = name.lower()
    return lowered == "[content_types].xml" or lowered.endswith(".rels")


def _refuse_declared_macros(chunks: Iterable[bytes]) -> None:
    """Parse an Office index part ([Content_Types].xml, a .rels) and refuse a declared macro type."""

    def start(_tag: str, attributes: dict[str, str]) -> None:
        declared = f"{attributes.get('ContentType', '')} {attributes.get('Type', '')}".lower()
        if any(marker in declared for marker in MACRO_TYPE_MARKERS):
            raise has_macros()

    def doctype(*_args) -> None:
        raise _damaged_office_file()  # Office never writes one; entities could hide a type from us

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, LookupError, ValueError) as exc:  # bad XML, unknown or wrong encoding
        raise _damaged_office_file() from exc
