"""The portal's WeasyPrint PDFs (invoices, duplicates, buyout quotes): each distinct HTML rendered once.

A PDF costs ~280 ms of CPU to lay out; its HTML, a template, a few milliseconds. So the HTML (with its
stylesheets and the renderer's version) is hashed and the PDF kept under that hash in
MEDIA_ROOT/pdf-store/. The same HTML is never rendered twice, and whatever the PDF shows that can change (a
payment, a duplicate's number and date, the language, the lessor's account, the template itself) changes
the HTML and so the key: an earlier PDF cannot be served for it, by construction. The key is also the
download's strong ETag (backend/documents/downloads.py: pdf_response).

Bounded by `prune_pdf_store` (daily, from beat): entries not read for KEEP_FOR go, then the least recently
read ones while the store is over MAX_BYTES; a pruned PDF is simply rendered again when asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import cache, cached_property
from importlib.metadata import version
from pathlib import Path

from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

FONT_DIR = "/usr/share/fonts/truetype/dejavu"  # DejaVu Sans: every Polish letter
FOLDER = "pdf-store"
# Bump when the same HTML should give another PDF (a renderer option, the fonts): every key changes.
RENDERER_VERSION = "1"
KEEP_FOR = timedelta(days=30)  # since last read
MAX_BYTES = 2 * 1024**3  # ~140,000 invoice PDFs of ~15 KB

# WeasyPrint logs every layout step at INFO; keep the server log to what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@cache
def _weasyprint_version() -> str:
    return version("weasyprint")  # the package's metadata: no import of WeasyPrint itself


@dataclass(frozen=True)
class PdfSource:
    """What a PDF is rendered from: its HTML and any stylesheets (CSS text) besides the HTML's own."""

    html: str
    stylesheets: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        """sha256 of the renderer's version and every input, each length-prefixed (no ambiguous joins)."""
        digest = hashlib.sha256(f"{RENDERER_VERSION}|weasyprint {_weasyprint_version()}|{FONT_DIR}".encode())
        for part in (*self.stylesheets, self.html):
            encoded = part.encode()
            digest.update(f"|{len(encoded)}:".encode() + encoded)
        return digest.hexdigest()


def render_pdf(source: PdfSource) -> bytes:
    """Lay the PDF out with WeasyPrint, bypassing the store (a miss of `pdf_bytes`, the warm-up)."""
    from weasyprint import CSS, HTML  # imported on first use: processes that never render skip it

    stylesheets = [CSS(string=css) for css in source.stylesheets]
    return HTML(string=source.html, base_url=FONT_DIR).write_pdf(stylesheets=stylesheets)


def _path(key: str) -> Path:
    return Path(default_storage.path(f"{FOLDER}/{key[:2]}/{key}.pdf"))


def pdf_bytes(source: PdfSource) -> bytes:
    """Return the PDF of `source`: from the store, or rendered now and stored for the next time."""
    path = _path(source.key)
    try:
        content = path.read_bytes()
    except OSError:  # not rendered yet, or pruned (an unreadable store only costs the rendering)
        content = b""
    if not content.startswith(b"%PDF"):  # an empty file a crash left: rendered again
        content = render_pdf(source)
        _store(path, content)
        return content
    with contextlib.suppress(OSError):  # read now: pruned last (see prune_pdf_store)
        os.utime(path)
    return content


def _store(path: Path, content: bytes) -> None:
    """Write under a temporary name, then rename: a concurrent reader gets the whole PDF or none."""
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        os.chmod(partial, getattr(default_storage, "file_permissions_mode", None) or 0o644)
        os.replace(partial, path)
    except OSError:
        # The PDF is answered all the same; the next download renders it again.
        logger.warning("Could not keep the rendered PDF %s", path, exc_info=True)
        if partial:
            with contextlib.suppress(OSError):
                os.unlink(partial)


def prune_pdf_store(*, keep_for: timedelta = KEEP_FOR, max_bytes: int = MAX_BYTES) -> int:
    """Delete the entries not read for `keep_for`, then the least recently read while the store holds more
    than `max_bytes`; return how many files went."""
    root = Path(default_storage.path(FOLDER))
    entries = []
    for path in root.glob("*/*"):
        with contextlib.suppress(FileNotFoundError):  # a concurrent prune
            stat = path.stat()
            entries.append((stat.st_mtime, stat.st_size, path))
    entries.sort()  # least recently read (or written) first
    cutoff = time.time() - keep_for.total_seconds()
    total = sum(size for _mtime, size, _path in entries)
    deleted = 0
    for mtime, size, path in entries:
        if mtime >= cutoff and total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
        deleted += 1
    if deleted:
        logger.info("Pruned %d rendered PDFs; %d bytes kept", deleted, total)
    return deleted


# A line in both of the invoices' fonts: loads what the first real PDF of a process would otherwise wait for.
WARM_UP_HTML = (
    "<style>"
    f'@font-face {{ font-family: "DejaVu Sans"; src: url("file://{FONT_DIR}/DejaVuSans.ttf"); }}'
    f'@font-face {{ font-family: "DejaVu Sans"; src: url("file://{FONT_DIR}/DejaVuSans-Bold.ttf"); '
    "font-weight: bold; }"
    'body { font-family: "DejaVu Sans"; }'
    "</style><p>Zażółć gęślą jaźń <b>ZAŻÓŁĆ 1 234,56 zł</b></p>"
)


def warm_up_pdf_renderer() -> float:
    """Import WeasyPrint and render one line, so no user waits for that; return the seconds it took."""
    started = time.perf_counter()
    render_pdf(PdfSource(html=WARM_UP_HTML))
    return time.perf_counter() - started


def _warm_up_logged() -> None:
    try:
        logger.info("PDF renderer warmed up in %.2f s", warm_up_pdf_renderer())
    except Exception:  # only a head start: the first real PDF will say what is wrong
        logger.warning("Could not warm up the PDF renderer", exc_info=True)


def start_pdf_warm_up() -> threading.Thread:
    """Warm the renderer up in a background thread: the process answers requests meanwhile."""
    thread = threading.Thread(target=_warm_up_logged, name="pdf-warm-up", daemon=True)
    thread.start()
    return thread
