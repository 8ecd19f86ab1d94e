"""A small, fast PDF writer for long tables (the repayment schedule).

WeasyPrint lays out a 120-row table in about a second; a schedule is a fixed grid, so this draws it
directly with pydyf (already installed with WeasyPrint) and an embedded DejaVu Sans subset covering
Latin-1 and Latin Extended-A (every Polish letter). Text stays extractable through a ToUnicode map.
The output depends only on the input: no timestamps, no random identifiers.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pydyf

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
CHARSET = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    0x2013,
    0x2014,
    0x2019,
    0x201D,
    0x201E,
    0x2026,
    0x20AC,
]
PAGE_WIDTH, PAGE_HEIGHT = 841.89, 595.28  # A4 landscape, points
MARGIN = 34.0


@dataclass(frozen=True)
class EmbeddedFont:
    base_name: str
    data: bytes
    gids: dict[int, int]  # code point → glyph id in the subset
    widths: tuple[int, ...]  # advance width of each glyph id, in 1/1000 em
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int

    def encode(self, text: str) -> bytes:
        fallback = self.gids[ord("?")]
        return b"<" + "".join(f"{self.gids.get(ord(ch), fallback):04x}" for ch in text).encode() + b">"

    def width(self, text: str, size: float) -> float:
        fallback = self.gids[ord("?")]
        return sum(self.widths[self.gids.get(ord(ch), fallback)] for ch in text) * size / 1000


@functools.cache
def load_font(file_name: str, tag: str) -> EmbeddedFont:
    """Subset the font once per process (a few hundred milliseconds), then reuse it."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it lists every glyph at INFO
    font = TTFont(f"{FONT_DIR}/{file_name}", recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [1, 2]
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: not needed, and not subsettable
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=CHARSET)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    scale = 1000 / font["head"].unitsPerEm
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    return EmbeddedFont(
        base_name=f"{tag}+{file_name.removesuffix('.ttf')}",
        data=buffer.getvalue(),
        gids={code: order[name] for code, name in font.getBestCmap().items()},
        widths=tuple(round(font["hmtx"][name][0] * scale) for name in font.getGlyphOrder()),
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        ascent=round(hhea.ascent * scale),
        descent=round(hhea.descent * scale),
        cap_height=round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
    )


def _to_unicode_cmap(font: EmbeddedFont) -> bytes:
    pairs = sorted((gid, code) for code, gid in font.gids.items())
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines = "\n".join(f"<{gid:04x}> <{code:04x}>" for gid, code in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


def _add_font(pdf: pydyf.PDF, font: EmbeddedFont) -> pydyf.Dictionary:
    font_file = pydyf.Stream([font.data], {"Length1": len(font.data)}, compress=True)
    pdf.add_object(font_file)
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": pydyf.name(font.base_name),
            "Flags": 32,
            "FontBBox": pydyf.Array(font.bbox),
            "ItalicAngle": 0,
            "Ascent": font.ascent,
            "Descent": font.descent,
            "CapHeight": font.cap_height,
            "StemV": 80,
            "FontFile2": font_file.reference,
        }
    )
    pdf.add_object(descriptor)
    cid_font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": pydyf.name(font.base_name),
            "CIDSystemInfo": pydyf.Dictionary(
                {"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"), "Supplement": 0}
            ),
            "FontDescriptor": descriptor.reference,
            "W": pydyf.Array([0, pydyf.Array(font.widths)]),
            "CIDToGIDMap": "/Identity",
        }
    )
    pdf.add_object(cid_font)
    to_unicode = pydyf.Stream([_to_unicode_cmap(font)], compress=True)
    pdf.add_object(to_unicode)
    type0 = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": pydyf.name(font.base_name),
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]),
            "ToUnicode": to_unicode.reference,
        }
    )
    pdf.add_object(type0)
    return type0


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # share of the table width
    align: str = "right"  # left | right


class _Canvas:
    def __init__(self, regular: EmbeddedFont, bold: EmbeddedFont):
        self.fonts = {"R": regular, "B": bold}
        self.stream = pydyf.Stream(compress=True)

    def text(
        self, x: float, y: float, text: str, *, size: float, bold: bool = False, align: str = "left"
    ) -> None:
        key = "B" if bold else "R"
        font = self.fonts[key]
        if align == "right":
            x -= font.width(text, size)
        self.stream.stream.append(
            b"BT /"
            + key.encode()
            + f" {size:g} Tf {x:.2f} {y:.2f} Td ".encode()
            + font.encode(text)
            + b" Tj ET"
        )

    def line(self, x1: float, y: float, x2: float, *, gray: float = 0.6, width: float = 0.4) -> None:
        self.stream.stream.append(f"{gray:g} G {width:g} w {x1:.2f} {y:.2f} m {x2:.2f} {y:.2f} l S".encode())

    def fill(self, x: float, y: float, w: float, h: float, *, gray: float) -> None:
        self.stream.stream.append(f"{gray:g} g {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f 0 g".encode())


def _wrap(font: EmbeddedFont, text: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def render_table_pdf(
    *,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str] | str],
    footer_row: Sequence[str] | None = None,
    page_label: str = "Page",
    document_title: str = "",
) -> bytes:
    """Return a landscape A4 PDF: a title, then the table with its header repeated on every page.

    A row given as one string is a line of its own across the whole table (a note between rows)."""
    regular = load_font("DejaVuSans.ttf", "PKTBLR")
    bold = load_font("DejaVuSans-Bold.ttf", "PKTBLB")
    size, header_size, row_height, pad = 8.0, 7.5, 12.0, 3.0
    table_width = PAGE_WIDTH - 2 * MARGIN
    total_share = sum(c.width for c in columns)
    widths = [table_width * c.width / total_share for c in columns]
    lefts = [MARGIN + sum(widths[:i]) for i in range(len(widths))]
    header_lines = [
        _wrap(bold, c.header, header_size, w - 2 * pad) for c, w in zip(columns, widths, strict=True)
    ]
    header_height = max(len(lines) for lines in header_lines) * (header_size + 1.5) + 2 * pad
    first_top = PAGE_HEIGHT - MARGIN - 40
    other_top = PAGE_HEIGHT - MARGIN
    bottom = MARGIN + 14

    def per_page(top: float) -> int:
        return max(1, int((top - header_height - bottom) // row_height))

    body = [*rows, *([footer_row] if footer_row else [])]
    pages: list[list[Sequence[str] | str]] = []
    index, top = 0, first_top
    while index < len(body) or not pages:
        count = per_page(top)
        pages.append(body[index : index + count])
        index += count
        top = other_top

    pdf = pydyf.PDF()
    if document_title:
        pdf.info["Title"] = pydyf.String(document_title)
    pdf.info["Producer"] = pydyf.String("Portal Klienta")
    font_refs = pydyf.Dictionary(
        {"R": _add_font(pdf, regular).reference, "B": _add_font(pdf, bold).reference}
    )
    resources = pydyf.Dictionary({"Font": font_refs})
    pdf.add_object(resources)

    for page_number, page_rows in enumerate(pages, start=1):
        canvas = _Canvas(regular, bold)
        top = first_top if page_number == 1 else other_top
        if page_number == 1:
            canvas.text(MARGIN, PAGE_HEIGHT - MARGIN - 14, title, size=13, bold=True)
            canvas.text(MARGIN, PAGE_HEIGHT - MARGIN - 30, subtitle, size=9)
        canvas.fill(MARGIN, top - header_height, table_width, header_height, gray=0.9)
        for column, lines, left, width in zip(columns, header_lines, lefts, widths, strict=True):
            for line_index, line in enumerate(lines):
                y = top - pad - header_size - line_index * (header_size + 1.5)
                x = left + width - pad if column.align == "right" else left + pad
                canvas.text(x, y, line, size=header_size, bold=True, align=column.align)
        y = top - header_height
        canvas.line(MARGIN, y, MARGIN + table_width, gray=0.3, width=0.6)
        for row in page_rows:
            is_footer = footer_row is not None and row is footer_row
            baseline = y - row_height + 3.5
            if isinstance(row, str):
                canvas.fill(MARGIN, y - row_height, table_width, row_height, gray=0.95)
                canvas.text(MARGIN + pad, baseline, row, size=size)
                y -= row_height
                canvas.line(MARGIN, y, MARGIN + table_width, gray=0.75, width=0.4)
                continue
            for column, cell, left, width in zip(columns, row, lefts, widths, strict=False):
                if not cell:
                    continue
                x = left + width - pad if column.align == "right" else left + pad
                canvas.text(x, baseline, str(cell), size=size, bold=is_footer, align=column.align)
            y -= row_height
            canvas.line(MARGIN, y, MARGIN + table_width, gray=0.3 if is_footer else 0.75, width=0.4)
        canvas.text(
            PAGE_WIDTH - MARGIN, MARGIN, f"{page_label} {page_number} / {len(pages)}", size=7, align="right"
        )
        pdf.add_object(canvas.stream)
        pdf.add_page(
            pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "MediaBox": pydyf.Array([0, 0, PAGE_WIDTH, PAGE_HEIGHT]),
                    "Contents": canvas.stream.reference,
                    "Resources": resources.reference,
                }
            )
        )
    output = io.BytesIO()
    pdf.write(output, identifier=False)
    return output.getvalue()
