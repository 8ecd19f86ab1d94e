"""The store of rendered PDFs (backend/documents/pdf_store.py): keyed by everything that is rendered, bounded
by age since last read and by size, and the renderer warmed up at the start of a web or worker process."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest

from backend.documents import pdf_store
from backend.documents.pdf_store import PdfSource, pdf_bytes, prune_pdf_store


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """A stand-in renderer (WeasyPrint itself is the invoices' tests'): records what it lays out."""
    rendered: list[str] = []

    def render(source: PdfSource) -> bytes:
        rendered.append(source.html)
        return f"%PDF-1.7 {source.html} {'x' * 1000}".encode()

    monkeypatch.setattr(pdf_store, "render_pdf", render)
    return rendered


def stored_file(source: PdfSource):
    return pdf_store._path(source.key)


def age(source: PdfSource, *, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(stored_file(source), (then, then))


def test_the_key_covers_the_html_the_stylesheets_and_the_renderer_version(monkeypatch):
    # given
    source = PdfSource(html="<p>A</p>")

    # then
    assert PdfSource(html="<p>A</p>").key == source.key
    assert PdfSource(html="<p>B</p>").key != source.key
    assert PdfSource(html="<p>A</p>", stylesheets=("p { color: red }",)).key != source.key
    # no ambiguous join: a stylesheet's text moved into the HTML is another key
    assert PdfSource(html="b", stylesheets=("a",)).key != PdfSource(html="ab").key
    monkeypatch.setattr(pdf_store, "RENDERER_VERSION", "bumped")
    assert PdfSource(html="<p>A</p>").key != source.key


def test_each_html_is_rendered_once_and_kept_whole_under_media(renders, settings):
    # given
    source = PdfSource(html="<p>A</p>")

    # when
    first = pdf_bytes(source)
    second = pdf_bytes(PdfSource(html="<p>A</p>"))

    # then
    assert renders == ["<p>A</p>"]
    assert first == second
    path = stored_file(source)
    assert path.is_relative_to(settings.MEDIA_ROOT)
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left beside it


def test_an_empty_file_a_crash_left_is_rendered_again_not_served(renders):
    # given
    source = PdfSource(html="<p>A</p>")
    first = pdf_bytes(source)
    stored_file(source).write_bytes(b"")

    # when
    again = pdf_bytes(source)

    # then
    assert again == first
    assert renders == ["<p>A</p>", "<p>A</p>"]
    assert stored_file(source).read_bytes() == first


def test_prune_drops_entries_not_read_for_a_month_and_a_read_keeps_one(renders):
    # given
    unread, read, fresh = (PdfSource(html=name) for name in ("unread", "read", "fresh"))
    for source in (unread, read, fresh):
        pdf_bytes(source)
    age(unread, days=31)
    age(read, days=31)
    pdf_bytes(read)  # read today: kept

    # when
    deleted = prune_pdf_store()

    # then
    assert deleted == 1
    assert not stored_file(unread).exists()
    assert stored_file(read).exists() and stored_file(fresh).exists()
    pdf_bytes(unread)  # gone from the store: simply rendered again
    assert renders == ["unread", "read", "fresh", "unread"]


def test_prune_keeps_the_store_under_its_size_dropping_the_least_recently_read_first(renders):
    # given
    sources = [PdfSource(html=f"n{n}") for n in range(4)]
    for days, source in zip([4, 3, 2, 1], sources, strict=True):
        pdf_bytes(source)
        age(source, days=days)
    size = stored_file(sources[0]).stat().st_size

    # when
    deleted = prune_pdf_store(keep_for=timedelta(days=30), max_bytes=2 * size)

    # then
    assert deleted == 2
    assert [stored_file(s).exists() for s in sources] == [False, False, True, True]


def test_beat_prunes_the_store_daily():
    from backend.config.celery import app

    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"] == "documents.prune_pdf_store"]
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {50}  # once a day, at night


def test_the_warm_up_renders_the_invoices_fonts(monkeypatch):
    # given
    rendered: list[PdfSource] = []
    monkeypatch.setattr(pdf_store, "render_pdf", lambda source: rendered.append(source) or b"%PDF")

    # when
    seconds = pdf_store.warm_up_pdf_renderer()

    # then
    assert seconds >= 0
    assert "DejaVuSans.ttf" in rendered[0].html and "DejaVuSans-Bold.ttf" in rendered[0].html


def test_the_web_process_starts_warming_up_in_the_background(monkeypatch):
    # given
    from backend.config import asgi

    started = threading.Event()
    monkeypatch.setattr(pdf_store, "_warm_up_logged", started.set)
    monkeypatch.setattr(asgi, "freeze_startup_objects", lambda: 0)

    # when
    application = asgi.serve()

    # then: served at once, the warm-up in a thread of its own
    assert application is asgi.served_application
    assert started.wait(timeout=5)
