"""Builders of the upload attack corpus: ZIP archives and OLE2 compound files written byte by byte.

The writers below let a test say exactly what a header declares (sizes, CRC, file mode, compression
method, local name) independently of what the entry holds, which zipfile refuses to write. Nothing here
is a binary blob: every file is made from these builders when a test runs.
"""

from __future__ import annotations

import bz2
import io
import math
import random
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass

from tests.requests_app.helpers import PDF_BYTES as PDF

STORED, DEFLATED, BZIP2 = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2
DOS_DATE_1980 = (1 << 5) | 1  # 1980-01-01


# --- ZIP -------------------------------------------------------------------------------------------


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@dataclass(frozen=True)
class Entry:
    """One ZIP entry as its headers declare it; `packed` is what is really stored."""

    name: str
    packed: bytes
    method: int
    crc: int
    size: int  # the uncompressed size the headers declare
    packed_size: int | None = None  # the compressed size the headers declare; None: len(packed)
    mode: int = 0  # Unix file mode in the upper half of external_attr
    local_name: str | None = None  # the name in the local header; None: the same as the central one


def entry(name: str, data: bytes, *, method: int = DEFLATED, **declared) -> Entry:
    """Return an honest entry holding `data`, unless `declared` overrides what the headers say."""
    packed = {STORED: lambda d: d, DEFLATED: deflate, BZIP2: bz2.compress}[method](data)
    fields = {"packed": packed, "method": method, "crc": zlib.crc32(data), "size": len(data)}
    return Entry(name=name, **{**fields, **declared})


def zip_archive(entries: list[Entry]) -> bytes:
    """Write the entries as a ZIP archive: local headers and data, the central directory, its end."""
    body, central = io.BytesIO(), io.BytesIO()
    for item in entries:
        name = item.name.encode()
        local_name = (item.local_name if item.local_name is not None else item.name).encode()
        packed_size = len(item.packed) if item.packed_size is None else item.packed_size
        flags = 0x800  # names in UTF-8
        offset = body.tell()
        body.write(
            struct.pack(
                "<4sHHHHHIIIHH",
                b"PK\x03\x04",
                20,
                flags,
                item.method,
                0,
                DOS_DATE_1980,
                item.crc,
                packed_size,
                item.size,
                len(local_name),
                0,
            )
        )
        body.write(local_name + item.packed)
        made_by = (3 << 8) | 20 if item.mode else 20  # 3: Unix, whose mode bits external_attr carries
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                made_by,
                20,
                flags,
                item.method,
                0,
                DOS_DATE_1980,
                item.crc,
                packed_size,
                item.size,
                len(name),
                0,
                0,
                0,
                0,
                item.mode << 16,
                offset,
            )
        )
        central.write(name)
    directory = central.getvalue()
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), body.tell(), 0
    )
    return body.getvalue() + directory + end


def zip_of(members: dict[str, bytes], *, method: int = DEFLATED) -> bytes:
    return zip_archive([entry(name, data, method=method) for name, data in members.items()])


CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "{extra}</Types>"
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA_PROJECT_TYPE = "application/vnd.ms-office.vbaProject"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def relationships(*targets: tuple[str, str]) -> bytes:
    rows = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rows}'
        "</Relationships>"
    ).encode()


def docx(
    extra: dict[str, bytes] | None = None, *, main: str = DOCX_MAIN, content_types_extra: str = ""
) -> bytes:
    """Return a small Word document (DOCX) with the given extra parts."""
    members = {
        "[Content_Types].xml": CONTENT_TYPES_XML.format(main=main, extra=content_types_extra).encode(),
        "_rels/.rels": relationships(
            (
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                "word/document.xml",
            )
        ),
        "word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
        b'2006/main"><w:body><w:p><w:r><w:t>Umowa</w:t></w:r></w:p></w:body></w:document>',
        **(extra or {}),
    }
    return zip_of(members)


def real_docx() -> bytes:
    """Return a Word document written by python-docx, as Word would: every usual part is there."""
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading("Wniosek o zmianę terminu płatności", level=1)
    for n in range(40):
        document.add_paragraph(f"Akapit {n}: proszę o zmianę dnia płatności raty na 20. dzień miesiąca.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in range(1, 200):
        workbook.active.append([row, f"Rata {row}", row * 123.45])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def moderately_compressible(size: int, *, seed: int = 1) -> bytes:
    """Return bytes that deflate about 10:1, well under the ratio bound (so only the total bound is hit)."""
    rng = random.Random(seed)
    words = [bytes(rng.getrandbits(8) for _ in range(6)) for _ in range(4000)]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) + b" " * 40
    return bytes(out[:size])


def nested_zip_bomb(*, fan_out: int = 16, leaf_size: int = 12_800 * 1024) -> bytes:
    """Return the issue's nested ZIP bomb: 16 archives of 16 files of 12.5 MiB of zeros, 3.2 GB unpacked.

    Every layer is compressed once and its stored bytes reused, so building it costs one 12.5 MiB deflate.
    """
    leaf = b"\0" * leaf_size
    leaf_entry = Entry(name="", packed=deflate(leaf), method=DEFLATED, crc=zlib.crc32(leaf), size=leaf_size)
    inner = zip_archive([_renamed(leaf_entry, f"dane{n:02d}.bin") for n in range(fan_out)])
    inner_entry = entry("", inner)
    return zip_archive([_renamed(inner_entry, f"paczka{n:02d}.zip") for n in range(fan_out)])


def _renamed(item: Entry, name: str) -> Entry:
    return Entry(**{**item.__dict__, "name": name})


def nested_zips(depth: int, *, leaf: dict[str, bytes] | None = None) -> bytes:
    """Return a ZIP holding a ZIP holding ... `depth` archives inside the outer one, a PDF at the bottom."""
    content = zip_of(leaf or {"faktura.pdf": PDF})
    for level in range(depth):
        content = zip_of({f"poziom{depth - level}.zip": content})
    return content


def symlink_zip() -> bytes:
    return zip_archive([entry("passwd", b"/etc/passwd", mode=stat.S_IFLNK | 0o777)])


def zip_longer_than_declared() -> bytes:
    """An entry whose deflate stream unpacks to 1 MiB while its headers say 1 KiB (with the CRC of that KiB)."""
    data = moderately_compressible(1024 * 1024)
    return zip_archive([entry("raport.txt", data, size=1024, crc=zlib.crc32(data[:1024]))])


def zip_shorter_than_declared() -> bytes:
    data = moderately_compressible(64 * 1024)
    return zip_archive([entry("raport.txt", data, size=10 * 1024 * 1024)])


def zip_stored_sizes_differ() -> bytes:
    return zip_archive([entry("faktura.pdf", PDF, method=STORED, packed_size=len(PDF) - 10)])


def zip_with_trailing_packed_bytes() -> bytes:
    """A deflate stream that ends before the compressed size the headers declare."""
    item = entry("faktura.pdf", PDF)
    return zip_archive([Entry(**{**item.__dict__, "packed": item.packed + b"\0" * 5000})])


def zip_local_name_differs() -> bytes:
    """The central directory says faktura.pdf; an unzip tool reading local headers writes ../evil.sh."""
    return zip_archive([entry("faktura.pdf", PDF, local_name="../evil.sh")])


# --- OLE2 compound files ---------------------------------------------------------------------------

SECTOR = 512
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_STREAM_CUTOFF = 4096
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
STORAGE, STREAM, ROOT = 1, 2, 5


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] | None = None
    right: int = NO_STREAM  # the next sibling: siblings are chained, a valid if unbalanced tree


def compound_file(streams: dict[str, bytes]) -> bytes:
    """Return a version 3 OLE2 compound file; a stream named "Macros/VBA/dir" makes the storages on its path.

    Each stream is padded to the mini stream cut-off so that all live in ordinary sectors (no mini FAT).
    """
    root = _Node("Root Entry", ROOT, children={})
    for path, data in streams.items():
        *storages, leaf = path.split("/")
        node = root
        for name in storages:
            node = node.children.setdefault(name, _Node(name, STORAGE, children={}))
        node.children[leaf] = _Node(leaf, STREAM, data.ljust(MINI_STREAM_CUTOFF, b"\0"))
    nodes = _flatten(root)
    index = {id(node): n for n, node in enumerate(nodes)}
    for node in nodes:
        siblings = _sorted_children(node)
        for left, right in zip(siblings, siblings[1:], strict=False):
            left.right = index[id(right)]

    directory_sectors = math.ceil(len(nodes) / 4)
    stream_sectors = [math.ceil(len(node.data) / SECTOR) for node in nodes]
    fat_sectors = 1
    while fat_sectors * SECTOR // 4 < fat_sectors + directory_sectors + sum(stream_sectors):
        fat_sectors += 1

    fat = [FAT_SECTOR] * fat_sectors
    first_directory = len(fat)
    fat += _chain(first_directory, directory_sectors)
    starts = []
    for count in stream_sectors:
        starts.append(len(fat) if count else END_OF_CHAIN)
        fat += _chain(len(fat), count)
    fat += [FREE] * (fat_sectors * SECTOR // 4 - len(fat))

    entries = b"".join(
        _directory_entry(node, index, start=0 if node.kind == STORAGE else start)
        for node, start in zip(nodes, starts, strict=True)
    )
    entries += _unused_entries(directory_sectors * 4 - len(nodes))
    data = b"".join(
        node.data.ljust(count * SECTOR, b"\0") for node, count in zip(nodes, stream_sectors, strict=True)
    )
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        OLE2_MAGIC,
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_sectors,
        first_directory,
        0,
        MINI_STREAM_CUTOFF,
        END_OF_CHAIN,
        0,
        END_OF_CHAIN,
        0,
    )
    header += struct.pack("<109I", *range(fat_sectors), *[FREE] * (109 - fat_sectors))
    return header + struct.pack(f"<{len(fat)}I", *fat) + entries + data


def _flatten(root: _Node) -> list[_Node]:
    nodes, pending = [], [root]
    while pending:
        node = pending.pop(0)
        nodes.append(node)
        pending.extend(_sorted_children(node))
    return nodes


def _sorted_children(node: _Node) -> list[_Node]:
    # The compound file format orders siblings by name length, then by upper-case name.
    return sorted((node.children or {}).values(), key=lambda child: (len(child.name), child.name.upper()))


def _chain(first: int, count: int) -> list[int]:
    return [first + n + 1 for n in range(count - 1)] + ([END_OF_CHAIN] if count else [])


def _directory_entry(node: _Node, index: dict[int, int], *, start: int) -> bytes:
    name = node.name.encode("utf-16-le") + b"\0\0"
    children = _sorted_children(node)
    child = index[id(children[0])] if children else NO_STREAM
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name.ljust(64, b"\0"),
        len(name),
        node.kind,
        1,  # black
        NO_STREAM,
        node.right,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        len(node.data),
    )


def _unused_entries(count: int) -> bytes:
    unused = struct.pack(
        "<64sHBBIII16sIQQIQ", b"\0" * 64, 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM, b"\0" * 16, 0, 0, 0, 0, 0
    )
    return unused * count


def word_doc(**extra: bytes) -> bytes:
    """Return an OLE2 Word document: a WordDocument stream (and a table stream), plus `extra` streams."""
    return compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 64, "1Table": b"\0" * 64, **extra})
