"""Check uploaded files by their content and store them under random names.

Only PDF, DOC (an OLE2 compound file with a WordDocument stream), DOCX (a ZIP holding word/document.xml)
and ZIP are accepted, none of them carrying macros; what the bytes of a DOC or a ZIP hold is read by
file_contents.py. The client's file name gives only the base name: the stored and downloaded names take the
extension of the detected kind.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from backend.core.exceptions import PortalError, PortalValidationError
from backend.documents.file_contents import (
    OLE2_MAGIC,
    ZIP_MAGICS,
    has_macros,
    is_macro_name,
    ole_kind,
    refused,
    zip_kind,
)

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
MAX_NAME = 200

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
NAME_UNSAFE = re.compile(r'[<>:"/\\|?*]')


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # pdf | doc | docx | zip
    content_type: str
    size: int
    sha256: str
    original_name: str  # the client's base name with the extension of `kind`
    content: bytes


# --- names ----------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """Return the base name of a client's file without folders, control or text-direction characters."""
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(char for char in base if not unicodedata.category(char).startswith("C"))
    return " ".join(NAME_UNSAFE.sub("_", base).split()).strip(" .")[:MAX_NAME]


def typed_name(name: str, *, kind: str) -> str:
    """Return the clean base name with the extension of the detected kind: `invoice.exe` → `invoice.pdf`."""
    stem = clean_name(name).rsplit(".", 1)[0].strip(" .")
    return f"{stem or 'file'}.{kind}"


# --- the upload -----------------------------------------------------------------------------------


def _check_pdf(content: bytes) -> str:
    if b"%%EOF" not in content[-2048:]:
        raise refused(_("The PDF file is incomplete or damaged."))
    return "pdf"


def sniff_kind(content: bytes) -> str:
    """Return pdf, doc, docx or zip from the bytes, or raise a validation error."""
    if content.startswith(PDF_MAGIC):
        return _check_pdf(content)
    if content.startswith(OLE2_MAGIC):
        return ole_kind(content)
    if content.startswith(ZIP_MAGICS):
        return zip_kind(content)
    raise refused(_("Only PDF, Word (DOC, DOCX) and ZIP files are accepted."))


def _read_within_limit(uploaded: BinaryIO) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    content = uploaded.read(limit + 1)
    if len(content) == 0:
        raise refused(_("The file is empty."))
    if len(content) > limit:
        raise refused(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    return content


def check_upload(uploaded: BinaryIO, *, name: str = "") -> CheckedUpload:
    """Read the upload once and check it; return the bytes with a name that follows the detected kind."""
    client_name = clean_name(name or getattr(uploaded, "name", "") or "")
    try:
        content = _read_within_limit(uploaded)
        if is_macro_name(client_name):
            raise has_macros()
        kind = sniff_kind(content)
    except PortalValidationError as refusal:
        message = _("The file “%(name)s” was refused: %(reason)s") % {
            "name": client_name or _("(no name)"),
            "reason": refusal.message,
        }
        raise PortalValidationError(message, fields={"file": [message]}) from refusal
    return CheckedUpload(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=typed_name(client_name, kind=kind),
        content=content,
    )


class _HasContent(Protocol):
    @property
    def sha256(self) -> str: ...


_File = TypeVar("_File", bound=_HasContent)


def one_per_content(files: Iterable[_File]) -> list[_File]:
    """The first file of each content (sha256), in order: a step takes the same file once, however often it
    is sent (an upload kept by a form and chosen again, the same id or file twice). Attachments and checked
    uploads alike."""
    by_content: dict[str, _File] = {}
    for file in files:
        by_content.setdefault(file.sha256, file)
    return list(by_content.values())


class FileStorageError(PortalError):
    """The file store refused a write (disk full, read-only, gone): nothing was stored, try again later.
    A 503 beside the form's field or in the API's error shape, not a 500; the dashboard's "File storage"
    check (backend/core/health.py) tells the operator why."""

    code, status = "storage_unavailable", 503

    def default_message(self) -> str:
        return _("The file could not be saved: the portal's file storage is unavailable. Try again later.")


def store_bytes(content: bytes, *, folder: str, extension: str) -> str:
    """Save bytes under a random name inside MEDIA_ROOT/folder and return the storage path; a write the
    disk refuses leaves no partial file behind and raises FileStorageError."""
    path = f"{folder}/{secrets.token_hex(16)}.{extension}"
    try:
        return default_storage.save(path, ContentFile(content))
    except OSError as exc:
        # Django's storage leaves the file it created (empty, or cut short) when the write or close fails.
        with contextlib.suppress(OSError):
            default_storage.delete(path)
        logger.error("File storage refused a write to %s/: %s", folder, exc)
        raise FileStorageError() from exc


def stored_upload_fields(checked: CheckedUpload, *, folder: str) -> dict:
    """Store a checked upload and return the fields every attachment model keeps of it."""
    try:
        path = store_bytes(checked.content, folder=folder, extension=checked.kind)
    except FileStorageError as exc:
        message = _(
            "The file “%(name)s” was not stored: the portal's file storage is unavailable. Try again later."
        ) % {"name": checked.original_name}
        raise FileStorageError(message, fields={"file": [message]}) from exc.__cause__
    return {
        "file": path,
        "original_name": checked.original_name,
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }


@contextlib.contextmanager
def stored_upload(checked: CheckedUpload, *, folder: str) -> Iterator[dict]:
    """stored_upload_fields for the block that writes the file's row: when that fails (the database locked
    or away: a 503, the user tries again) the file goes too, so none is left on the disk without a row.
    A larger transaction that rolls back after this block leaves the file: beat's sweep deletes it a day
    later (orphan_files.py), as Django tells no one of a rollback."""
    fields = stored_upload_fields(checked, folder=folder)
    try:
        yield fields
    except BaseException:
        with contextlib.suppress(OSError):
            default_storage.delete(fields["file"])
        raise
