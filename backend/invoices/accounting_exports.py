"""The accountant's monthly ZIP as a job: the request starts it, the Celery worker builds it, the page and
the API follow its progress and download the finished file.

Built in the request, a month of 221 invoices took 74 s (a PDF each), past the proxy's 60 s, and a user
asking for 8 months held every HTTP thread of the web process. Now the page's form and the API share
`start_accounting_export` (the checks: month, empty month, the invoices the membership sees) and answer at
once; one AccountingExport row per user, client and month carries status, progress (n of N invoices), the
error and the file. Asking again while it is being built returns the same job; at most
`MAX_IN_PROGRESS_PER_USER` builds per user run at a time. As with decision documents, the task is queued
after commit (run at once when Celery is eager: the tests) and beat re-drives a lost one
(`tend_accounting_exports`), which also marks a build whose worker died as failed and deletes finished
exports and their files after `KEEP_FOR`.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.core.exceptions import NotFound, PortalError
from backend.core.language import active_lang
from backend.documents.downloads import document_filename
from backend.invoices.accounting import build_accounting_zip, refuse_empty_month, scope_sentence, zip_filename
from backend.invoices.models import AccountingExport
from backend.invoices.selectors import (
    compensation_notes_of_month,
    contract_count,
    invoice_ids_of_month,
    limited_contract_numbers,
    list_invoices_by_ids,
)

logger = logging.getLogger(__name__)

Status = AccountingExport.Status
MAX_IN_PROGRESS_PER_USER = 2  # a user's parallel builds: the worker stays free for everyone else
STALLED_AFTER = timedelta(minutes=10)  # a build without progress this long: its worker died
REQUEUE_AFTER = timedelta(minutes=2)  # a waiting build's message was lost (broker down, worker away)
KEEP_FOR = timedelta(hours=24)  # finished exports and their files
PROGRESS_SECONDS = 1.0  # progress written at most this often (and at the last invoice)
FOLDER = "exports/accounting"


class ExportsBusy(PortalError):
    code, status = "exports_in_progress", 429

    def default_message(self) -> str:
        return _("Other ZIP files of yours are still being prepared. Wait until they are ready.")


def failure_message() -> str:
    """What the user reads of a failed build (the exception itself is for operators: admin, log)."""
    return _("The file could not be prepared. Try again; if it fails again, contact customer service.")


# --- the request: start, reuse, read --------------------------------------------------------------


def start_accounting_export(*, user: User, client: Client, month: date) -> AccountingExport:
    """Start building the month's package of the invoices `client` (bound to the user's membership) shows,
    in the user's language; the same package being built already, or built and still current, is returned
    instead."""
    invoice_ids = invoice_ids_of_month(client=client, month=month)
    if not invoice_ids:
        raise refuse_empty_month()
    contract_numbers = limited_contract_numbers(client=client)  # None: the user sees every contract
    now = timezone.now()
    with transaction.atomic():
        export = (
            AccountingExport.objects.select_for_update().filter(user=user, client=client, month=month).first()
        )
        if export is not None and export.in_progress and export.updated_at > now - STALLED_AFTER:
            return export  # asked again (twice, a reload, another tab): one build
        if export is not None and _is_current(
            export, invoice_ids=invoice_ids, contract_numbers=contract_numbers
        ):
            return export  # ready: not rebuilt, so the file URL the user was given keeps working
        busy = AccountingExport.objects.filter(
            user=user, status__in=AccountingExport.IN_PROGRESS, updated_at__gt=now - STALLED_AFTER
        )
        if export is not None:
            busy = busy.exclude(pk=export.pk)
        if busy.count() >= MAX_IN_PROGRESS_PER_USER:
            raise ExportsBusy()
        old_file = export.file if export is not None else ""
        export = export or AccountingExport(user=user, client=client, month=month)
        export.lang = active_lang()
        export.status = Status.PENDING
        export.invoice_ids = invoice_ids
        export.contract_numbers = contract_numbers
        export.done, export.total = 0, len(invoice_ids)
        export.error, export.file, export.size = "", "", 0
        export.created_at = export.updated_at = now
        export.finished_at = None
        try:
            with transaction.atomic():  # a savepoint: the same first request at the same moment
                export.save()
        except IntegrityError:
            return AccountingExport.objects.get(user=user, client=client, month=month)
        if old_file:
            transaction.on_commit(lambda: default_storage.delete(old_file))
        _queue(export.pk)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        export.refresh_from_db()  # built at once (the tests): the answer says it is ready
    return export


def _is_current(
    export: AccountingExport, *, invoice_ids: list[int], contract_numbers: list[str] | None
) -> bool:
    """A ready package still holds what the month's package would now: the same invoices (none issued,
    corrected away or out of the membership's contracts since) and the same stated scope, in the asker's
    language."""
    return (
        export.status == Status.READY
        and bool(export.file)
        and export.invoice_ids == invoice_ids
        and export.contract_numbers == contract_numbers
        and export.lang == active_lang()
    )


def _queue(export_id: int) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:  # the tests: built at once, inside this transaction
        build_accounting_export(export_id)
        return

    def send() -> None:
        try:
            build_accounting_export.delay(export_id)
        except Exception:  # the row is committed: beat's re-drive queues it within minutes
            logger.exception("Could not queue the accounting export %s", export_id)

    transaction.on_commit(send)


def get_accounting_export(*, user: User, client: Client, export_id: int) -> AccountingExport:
    """The user's own export of the active client; anyone else's is 404, like another client's objects."""
    export = AccountingExport.objects.filter(pk=export_id, user=user, client=client).first()
    if export is None:
        raise NotFound()
    return export


def list_accounting_exports(*, user: User, client: Client) -> list[AccountingExport]:
    """The user's exports of the active client still kept, newest first (the invoice pages show them)."""
    return list(AccountingExport.objects.filter(user=user, client=client).order_by("-created_at", "-pk")[:6])


def accounting_export_response(*, export: AccountingExport, client: Client) -> FileResponse:
    """The finished package as a download (a quick file response). Only while the user still sees every
    invoice in it: a membership narrowed since (contracts, role) is 404 and the user asks again."""
    if export.status != Status.READY or not export.file:
        raise NotFound(_("The file is not ready yet."))
    visible = set(invoice_ids_of_month(client=client, month=export.month))
    if not visible.issuperset(export.invoice_ids):
        raise NotFound()
    response = FileResponse(
        default_storage.open(export.file, "rb"),
        as_attachment=True,
        filename=zip_filename(
            nip=client.nip, month=export.month, limited=export.contract_numbers is not None
        ),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the worker -------------------------------------------------------------------------------------


@shared_task(
    name="invoices.build_accounting_export",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def build_accounting_export(export_id: int) -> str:
    """Build the package of a waiting export; a redelivered or re-driven copy finds it taken or done."""
    claimed = AccountingExport.objects.filter(pk=export_id, status=Status.PENDING).update(
        status=Status.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    export = AccountingExport.objects.select_related("client").get(pk=export_id)
    try:
        path, size = _build(export)
    except Exception as exc:
        logger.exception("Accounting export %s failed", export_id)
        _finish(export, status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        return Status.FAILED
    if not _finish(export, status=Status.READY, file=path, size=size, done=export.total):
        default_storage.delete(path)  # started again meanwhile: this file is nobody's
    return Status.READY


def _build(export: AccountingExport) -> tuple[str, int]:
    invoices = list_invoices_by_ids(client_id=export.client_id, ids=export.invoice_ids)
    last_write = time.monotonic()

    def progress(done: int) -> None:
        nonlocal last_write
        if time.monotonic() - last_write < PROGRESS_SECONDS and done < len(invoices):
            return
        last_write = time.monotonic()
        _this_build(export).update(done=done, updated_at=timezone.now())

    scope = ""
    if export.contract_numbers is not None:  # a limited user's package says which contracts it covers
        with translation.override(export.lang):
            scope = scope_sentence(export.contract_numbers, of=contract_count(client=export.client))
    with tempfile.TemporaryFile() as target:
        build_accounting_zip(
            invoices,
            month=export.month,
            lang=export.lang,
            target=target,
            progress=progress,
            scope=scope,
            notes=_notes(export),
        )
        size = target.tell()
        target.seek(0)
        path = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.zip", File(target))
    return path, size


def _notes(export: AccountingExport) -> list[tuple[str, bytes]]:
    """The month's compensation notes as the documents page serves them (name, content); a note whose
    file is gone is left out rather than failing the invoices' package."""
    notes, names = [], set()
    for document in compensation_notes_of_month(
        client_id=export.client_id, month=export.month, contract_numbers=export.contract_numbers
    ):
        name = document_filename(document, lang=export.lang)
        if name in names or name == "":
            name = f"{document.pk}_{name}"
        try:
            with document.file.open("rb") as handle:
                notes.append((name, handle.read()))
        except FileNotFoundError:
            logger.warning("Compensation note %s has no file; left out of the ZIP", document.pk)
            continue
        names.add(name)
    return notes


def _this_build(export: AccountingExport):
    """The row while it is still this build (not started again by the user meanwhile)."""
    return AccountingExport.objects.filter(pk=export.pk, status=Status.RUNNING, created_at=export.created_at)


def _finish(export: AccountingExport, *, status: str, **values) -> bool:
    now = timezone.now()
    return bool(_this_build(export).update(status=status, updated_at=now, finished_at=now, **values))


# --- beat -------------------------------------------------------------------------------------------


def tend_accounting_exports() -> dict[str, int]:
    """Queue again the waiting exports whose message was lost, fail the builds whose worker died (the user
    sees it and asks again), and delete finished exports older than KEEP_FOR with their files."""
    now = timezone.now()
    lost = list(
        AccountingExport.objects.filter(
            status=Status.PENDING, updated_at__lte=now - REQUEUE_AFTER
        ).values_list("pk", flat=True)
    )
    AccountingExport.objects.filter(pk__in=lost).update(updated_at=now)  # one re-drive per interval
    for export_id in lost:
        _queue(export_id)
    stalled = AccountingExport.objects.filter(
        status=Status.RUNNING, updated_at__lte=now - STALLED_AFTER
    ).update(
        status=Status.FAILED,
        error="The build made no progress: its worker stopped.",
        finished_at=now,
        updated_at=now,
    )
    old = AccountingExport.objects.filter(
        status__in=(Status.READY, Status.FAILED), finished_at__lte=now - KEEP_FOR
    )
    files = [path for path in old.values_list("file", flat=True) if path]
    deleted, _by_model = old.delete()
    for path in files:
        default_storage.delete(path)
    return {"requeued": len(lost), "stalled": stalled, "deleted": deleted}
