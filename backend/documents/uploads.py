"""Check uploaded files by their content and store them under random names.

Only PDF, DOC (OLE2 compound file), DOCX (a ZIP holding word/document.xml) and ZIP are accepted. The
file name and the browser's content type are ignored for the decision.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from backend.core.exceptions import PortalValidationError

PDF_MAGIC = b"%PDF-"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # local file header, empty archive
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # pdf | doc | docx | zip
    content_type: str
    size: int
    sha256: str
    original_name: str
    content: bytes


def _reject(message: str) -> PortalValidationError:
    return PortalValidationError(message, fields={"file": [message]})


def _check_zip(content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject(_("The ZIP archive is damaged.")) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise _reject(_("The ZIP archive holds too many files."))
    total = 0
    for member in members:
        name = member.filename.replace("\\", "/")
        normalized = posixpath.normpath(name)
        if name.startswith("/") or normalized.startswith("..") or ":" in name.split("/")[0]:
            raise _reject(_("The ZIP archive contains an unsafe path: %(name)s") % {"name": member.filename})
        if member.flag_bits & 0x1:
            raise _reject(_("Encrypted ZIP archives are not accepted."))
        total += member.file_size
        if total > MAX_ZIP_UNCOMPRESSED or (
            member.compress_size and member.file_size / member.compress_size > MAX_ZIP_RATIO
        ):
            raise _reject(_("The ZIP archive unpacks to too much data."))
    names = {m.filename for m in members}
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    return "zip"


def sniff_kind(content: bytes) -> str:
    """Return pdf, doc, docx or zip from the bytes, or raise a validation error."""
    if content.startswith(PDF_MAGIC):
        if b"%%EOF" not in content[-2048:]:
            raise _reject(_("The PDF file is incomplete or damaged."))
        return "pdf"
    if content.startswith(OLE2_MAGIC):
        return "doc"
    if content.startswith(ZIP_MAGICS):
        return _check_zip(content)
    raise _reject(_("Only PDF, Word (DOC, DOCX) and ZIP files are accepted."))


def check_upload(uploaded: BinaryIO, *, name: str = "") -> CheckedUpload:
    """Read the upload once, enforce the size limit and the allowed kinds; return the checked bytes."""
    limit = settings.UPLOAD_MAX_BYTES
    content = uploaded.read(limit + 1)
    if len(content) == 0:
        raise _reject(_("The file is empty."))
    if len(content) > limit:
        raise _reject(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    kind = sniff_kind(content)
    safe_name = Path(name or getattr(uploaded, "name", "") or f"file.{kind}").name[:200]
    return CheckedUpload(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=safe_name,
        content=content,
    )


def store_bytes(content: bytes, *, folder: str, extension: str) -> str:
    """Save bytes under a random name inside MEDIA_ROOT/folder and return the storage path."""
    path = f"{folder}/{secrets.token_hex(16)}.{extension}"
    return default_storage.save(path, ContentFile(content))
