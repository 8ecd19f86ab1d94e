"""A tiny, dependency-free PDF writer for demo documents (thousands of them in seconds).

One A4 page of text lines in Helvetica. Polish letters are mapped onto spare codes (0x80-0x8F) of WinAnsi through
an /Differences encoding, so "Potwierdzenie salda, Łódź" renders with its diacritics. The output is
deterministic: the same lines give the same bytes.
"""

from __future__ import annotations

# Code points 0x80.. are re-mapped to the Polish glyphs of the standard Helvetica font.
_POLISH = "ąćęłńśźżĄĆĘŁŃŚŹŻ"
_GLYPHS = [
    "aogonek", "cacute", "eogonek", "lslash", "nacute", "sacute", "zacute", "zdotaccent",
    "Aogonek", "Cacute", "Eogonek", "Lslash", "Nacute", "Sacute", "Zacute", "Zdotaccent",
]  # fmt: skip
_TO_CODES = str.maketrans({char: chr(0x80 + index) for index, char in enumerate(_POLISH)})


def _encode(text: str) -> bytes:
    """Return the text in the font's encoding, with ( ) and \\ escaped for a PDF string."""
    raw = text.translate(_TO_CODES).encode("latin-1", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def render_text_pdf(lines: list[tuple[str, int, bool]], *, title: str = "") -> bytes:
    """Return a one-page PDF; each line is (text, font size, bold). Long pages are cut at the bottom."""
    stream = bytearray(b"BT\n")
    y = 800
    for text, size, bold in lines:
        if y < 40:
            break
        font = b"/F2" if bold else b"/F1"
        stream += font + b" %d Tf 1 0 0 1 56 %d Tm (" % (size, y) + _encode(text) + b") Tj\n"
        y -= int(size * 1.6) if text else size
    stream += b"ET\n"
    differences = b"[128 " + b" ".join(b"/" + name.encode() for name in _GLYPHS) + b"]"
    encoding = b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences " + differences + b" >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + bytes(stream) + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 7 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding 7 0 R >>",
        encoding,
        b"<< /Title (" + _encode(title) + b") /Producer (Portal Klienta demo data) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)
