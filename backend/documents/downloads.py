"""HTTP responses for generated files and stored documents (always as attachments)."""

from __future__ import annotations

import re
from contextlib import nullcontext
from typing import TYPE_CHECKING

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.http import content_disposition_header, parse_etags, quote_etag
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from backend.documents.pdf_store import PdfSource, pdf_bytes
from backend.documents.uploads import CONTENT_TYPES, typed_name

if TYPE_CHECKING:
    from backend.documents.models import Document

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_filename(name: str) -> str:
    """Return a file name without path separators or spaces: `FV/2026/1` → `FV_2026_1`."""
    return _UNSAFE.sub("_", name).strip("_") or "file"


# The words of the names the portal gives the files it generates, in the language of the request that
# downloads them: faktura_FV_2026_1.pdf / invoice_FV_2026_1.pdf.
FILE_NAME_WORDS = {
    "invoice": pgettext_lazy("file name", "invoice"),
    "invoices": pgettext_lazy("file name", "invoices"),
    "duplicate": pgettext_lazy("file name", "duplicate"),
    "schedule": pgettext_lazy("file name", "schedule"),
    "summary": pgettext_lazy("file name", "summary"),
    # A package of only some of the company's contracts (a limited user's month ZIP).
    "selected_contracts": pgettext_lazy("file name", "selected-contracts"),
    # The invoice and settlement lists' files (backend/invoices/list_exports.py).
    "archive": pgettext_lazy("file name", "archive"),
    "settlements": pgettext_lazy("file name", "settlements"),
    "due": pgettext_lazy("file name", "due"),
    "overdue": pgettext_lazy("file name", "overdue"),
    "paid": pgettext_lazy("file name", "paid"),
    "compensations": pgettext_lazy("file name", "compensations"),
    "buyout_quote": pgettext_lazy("file name", "buyout-quote"),
    # The documents generated for a request, by Document.Kind (backend/requests_app/decision_document.py).
    "decision": pgettext_lazy("file name", "decision"),
    "annex": pgettext_lazy("file name", "annex"),
}


def download_filename(*parts: str, extension: str, separator: str = "_", lang: str | None = None) -> str:
    """Join a generated file's name: parts that are FILE_NAME_WORDS keys become their word in `lang` (the
    active language when None), the others (numbers, dates, already safe) stay as they are.

    `download_filename("invoice", "FV_2026_1", "duplicate", "3", extension="pdf")` →
    `faktura_FV_2026_1_duplikat_3.pdf` in Polish, `invoice_FV_2026_1_duplicate_3.pdf` in English.
    """
    with translation.override(lang) if lang else nullcontext():
        words = [str(FILE_NAME_WORDS[part]) if part in FILE_NAME_WORDS else part for part in parts]
    return f"{separator.join(words)}.{extension}"


def document_filename(document: Document, *, lang: str | None = None) -> str:
    """A stored document's download name, the same wherever it is downloaded (Documents, the request's
    page). One the portal generated for a request (decision letter, annex, permit) is named like every
    file the portal generates, in `lang` (the downloader's, the active language when None):
    decyzja_WN_2026_000037.docx / decision_WN_2026_000037.docx. Any other keeps the name it came with."""
    if not document.request_number:
        return document.original_name
    extension = next(
        (kind for kind, known in CONTENT_TYPES.items() if known == document.content_type), "docx"
    )
    return download_filename(
        document.kind, safe_filename(document.request_number), extension=extension, lang=lang
    )


def attachment_response(
    content: bytes, *, filename: str, content_type: str, status: int = 200
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type, status=status)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(
    request: HttpRequest, source: PdfSource, *, filename: str, status: int = 200
) -> HttpResponse:
    """Answer the PDF of `source` (rendered once: backend/documents/pdf_store.py) under its strong ETag.

    A GET or HEAD whose If-None-Match names that ETag is 304 with no body, the PDF not even read. Call it
    only once the view has loaded the object through the user's own client (404 for anyone else's): a 304
    must confirm nothing to a user who may not download the file. No-store stays (NoStoreMiddleware,
    issue #12): browsers keep no copy; an API client that keeps the file can revalidate it for free.
    """
    etag = quote_etag(source.key)
    if status == 200 and request.method in ("GET", "HEAD"):
        asked = parse_etags(request.headers.get("If-None-Match", ""))
        if "*" in asked or etag in {tag.removeprefix("W/") for tag in asked}:  # the weak comparison
            response = HttpResponseNotModified()
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-store"
            return response
    response = attachment_response(
        pdf_bytes(source), filename=filename, content_type="application/pdf", status=status
    )
    response["ETag"] = etag
    return response


# A PDF download's revalidation in the schema (pdf_response); the 200 answer carries the ETag.
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="The `ETag` of this PDF as downloaded before: 304 without a body while it is still the same.",
)
NOT_MODIFIED_RESPONSE = OpenApiResponse(description="Not modified: the PDF is still the one of that ETag.")


def stored_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """Serve a stored file under the extension of its checked kind, whatever name the client gave it."""
    kind = next((kind for kind, known in CONTENT_TYPES.items() if known == content_type), None)
    if kind is None:  # not a kind uploads accept (a row edited by hand): only ever a download
        kind, content_type = "bin", "application/octet-stream"
    response = FileResponse(
        file, as_attachment=True, filename=typed_name(filename, kind=kind), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The types a stored file is served with (stored_file_response): what its download's Accept may name.
STORED_FILE_TYPES = (*CONTENT_TYPES.values(), "application/octet-stream")


def stored_file_responses(description: str) -> dict[tuple[int, str], OpenApiResponse]:
    """The 200 answers of a stored file's download, one per content type it can be served with.

    `stored_file_response` serves the type of the file's checked kind (PDF, DOC,
    DOCX, ZIP), or application/octet-stream when the kind is unknown.
    """
    return {
        (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for content_type in STORED_FILE_TYPES
    }
