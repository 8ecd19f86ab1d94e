"""The decision document of a request: an annex to the contract or a decision letter, as DOCX.

Written on the DOCX template of docx_template.py, stored through backend.documents (random name under
MEDIA_ROOT) as a Document of the client and contract, so it appears on the client's Documents screen. The
deciding step only writes the history row; the Celery worker renders the document after commit
(render_decision_document).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from backend.contracts.models import Contract
from backend.core.identifiers import format_nip
from backend.core.lessor import Lessor, get_lessor
from backend.core.money import format_date
from backend.core.prepared_reads import PreparedRead
from backend.core.prepared_writes import insert_rows, update_row
from backend.core.task_batches import publish_ids
from backend.documents.downloads import document_filename
from backend.documents.models import Document
from backend.documents.uploads import CONTENT_TYPES, store_bytes
from backend.requests_app import history, outbox
from backend.requests_app.docx_template import add_paragraph, blank_document, save_docx
from backend.requests_app.models import (
    DOCUMENT_PENDING_KEY,
    DocumentRender,
    PortalRequest,
    RequestEvent,
    RequestKind,
)

# Official documents are in Polish whatever the user's interface language. What the request concerns,
# as the sentence "Dotyczy wniosku … <subject>." says it: "w sprawie" + genitive, or a phrase of its own.
KIND_SUBJECTS_PL = {
    RequestKind.PAYMENT_DATE_CHANGE: "w sprawie zmiany daty płatności raty",
    RequestKind.CONTRACT_VALUE_CHANGE: "w sprawie zmiany wartości umowy / doposażenia",
    RequestKind.SCHEDULE_CHANGE: "w sprawie zmiany harmonogramu",
    RequestKind.CLIENT_DATA_CHANGE: "w sprawie zmiany danych klienta",
    # Without its subject (_subject_pl): "w innej sprawie" would read "in a different matter".
    RequestKind.OTHER_REQUEST: "w sprawie nieobjętej pozostałymi rodzajami wniosków",
    RequestKind.EARLY_TERMINATION: "w sprawie wykupu / wcześniejszego zakończenia umowy",
    RequestKind.COMPLAINT: "w sprawie reklamacji",
    RequestKind.VEHICLE_ABROAD_PERMIT: "w sprawie zgody na wyjazd pojazdem za granicę",
}


def _subject_pl(portal_request: PortalRequest) -> str:
    """What the request concerns: an "other matter" is named by the subject the client gave it."""
    subject = str((portal_request.form_data or {}).get("subject") or "").strip().rstrip(".")
    if portal_request.kind == RequestKind.OTHER_REQUEST and subject:
        return f"w sprawie: „{subject}”"
    return KIND_SUBJECTS_PL[portal_request.kind]


ANNEX_KINDS = {
    RequestKind.PAYMENT_DATE_CHANGE,
    RequestKind.CONTRACT_VALUE_CHANGE,
    RequestKind.SCHEDULE_CHANGE,
}


def document_title(portal_request: PortalRequest, *, outcome: str) -> tuple[str, str]:
    """Return (Document kind, title): the title in Polish, the document's own (pages show it in the
    reader's language from the same words, Document.display_title)."""
    if outcome == "approved" and portal_request.kind in ANNEX_KINDS and portal_request.contract_id:
        kind, contract_number = Document.Kind.ANNEX, portal_request.contract.number
    else:
        kind, contract_number = Document.Kind.DECISION, ""
    with translation.override("pl"):
        title = Document.generated_title(
            kind, request_number=portal_request.number, contract_number=contract_number
        )
    return kind, title


logger = logging.getLogger(__name__)
PENDING_KEY = DOCUMENT_PENDING_KEY


def _party_names(contract: Contract | None) -> tuple[str, str]:
    """How the contract names the lessor and the client: a loan's parties, or a lease's."""
    if contract is not None and contract.type == Contract.Type.LOAN:
        return "Pożyczkodawca", "Pożyczkobiorca"
    return "Finansujący", "Korzystający"


def _lessor_line(lessor: Lessor) -> str:
    return f"{lessor.name}, {lessor.street}, {lessor.postal_code} {lessor.city}, NIP {format_nip(lessor.nip)}"


def render_docx(
    portal_request: PortalRequest,
    *,
    decided_on: date,
    outcome: str,
    reason: str,
    answer: str,
    summary: list[str],
) -> bytes:
    """The document dated `decided_on` (decision_day): the day of the decision, not of the rendering."""
    kind, title = document_title(portal_request, outcome=outcome)
    # Read before the template is taken: no query while other documents wait for its lock.
    client = portal_request.client
    contract = portal_request.contract if portal_request.contract_id else None
    lessor = get_lessor()
    lessor_role, client_role = _party_names(contract)
    client_line = f"{client.name}, NIP {format_nip(client.nip)}"
    annex = kind == Document.Kind.ANNEX
    with blank_document(title=title, author=lessor.name) as doc:  # the title names the request too
        add_paragraph(doc, title, "Heading 1")
        add_paragraph(doc, f"Data: {format_date(decided_on)}")
        if contract is not None:
            add_paragraph(doc, f"Umowa: {contract.number}")
        if annex:  # an annex is made between the contract's parties: both named, as in the contract
            add_paragraph(doc, "Strony aneksu:", "Heading 2")
            add_paragraph(doc, f"{lessor_role}: {_lessor_line(lessor)}", "List Bullet")
            add_paragraph(doc, f"{client_role}: {client_line}", "List Bullet")
        else:  # a letter from the lessor to the client
            add_paragraph(doc, f"Od: {_lessor_line(lessor)}")
            add_paragraph(doc, f"Klient: {client_line}")
        add_paragraph(
            doc,
            f"Dotyczy wniosku nr {portal_request.number} z dnia {format_date(portal_request.created_at)} "
            f"{_subject_pl(portal_request)}.",
        )
        if outcome == "approved":
            add_paragraph(doc, "Decyzja: wniosek został rozpatrzony pozytywnie.", "Heading 2")
            if annex:
                add_paragraph(doc, "Strony zgodnie postanawiają wprowadzić do umowy następujące zmiany:")
            for line in summary:
                add_paragraph(doc, line, "List Bullet")
            if answer:  # the answer's one paragraph (the summary lists what changed, not the answer)
                add_paragraph(doc, f"Odpowiedź: {answer}")
            if annex:
                add_paragraph(doc, "Pozostałe postanowienia umowy pozostają bez zmian.")
        else:
            add_paragraph(doc, "Decyzja: wniosek został rozpatrzony negatywnie.", "Heading 2")
            add_paragraph(doc, f"Uzasadnienie: {reason}")
        if annex:  # no handwritten signatures: the client's request and the lessor's acceptance make it
            add_paragraph(
                doc,
                f"Aneks zawarto w formie elektronicznej: {client_role} złożył wniosek nr "
                f"{portal_request.number} w Portalu Klienta, a {lessor_role} przyjął go dnia "
                f"{format_date(decided_on)}.",
            )
        add_paragraph(
            doc,
            f"Dokument wygenerowany elektronicznie w Portalu Klienta firmy {lessor.name}; nie wymaga podpisu.",
        )
        return save_docx(doc)


def request_decision_document(
    portal_request: PortalRequest,
    *,
    outcome: str,
    reason: str = "",
    answer: str = "",
    summary: list[str] | None = None,
) -> RequestEvent:
    """In the deciding step's transaction: write the document's history row, pending; render it later.

    Rendering (python-docx) was a quarter of the approve step, so the Celery worker does it after commit
    (render_pending_document); until then the request shows "document being prepared". A rolled-back
    step takes the pending row and its on-commit hand-off with it. With CELERY_TASK_ALWAYS_EAGER (tests)
    it is rendered at once, in this transaction, by the same function.
    """
    kind, title = document_title(portal_request, outcome=outcome)
    event = history.document_issued(
        portal_request,
        title=title,
        data={
            "document_id": None,
            "document_kind": kind,
            PENDING_KEY: True,
            "render": {"outcome": outcome, "reason": reason, "answer": answer, "summary": summary or []},
        },
    )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        render_pending_document(event.pk, announce=False)  # the step's own events tell the pages
    else:
        # Batched with the process's other decisions of the moment; a lost message is re-driven by beat.
        transaction.on_commit(lambda: publish_ids(render_decision_documents, [event.pk]))
    return event


# A document that fails to render keeps its error and the time of its next attempt on its DocumentRender
# row, and beat's re-drive tries it then: 1, 2, 4 … minutes after each failure, at most an hour apart, for
# as long as it fails (an administrator can also render it at once from the dashboard: stuck_documents.py).
# The task itself retries only when even that record could not be written (the database busy or away).
RENDER_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}
RENDER_RETRY_FIRST = timedelta(minutes=1)
RENDER_RETRY_MAX = timedelta(hours=1)
# While a re-driven task runs, its document is not re-driven again (a task still queued after this long
# was lost: it is queued anew).
RENDER_LEASE = timedelta(minutes=10)


# Defined here, not in tasks.py, so that the step that queues them imports nothing above it; the names
# are the ones messages already queued carry.
@shared_task(name="backend.requests_app.tasks.render_decision_document", **RENDER_TASK_OPTIONS)
def render_decision_document(event_id: int) -> int | None:
    """Render the pending document of history row `event_id`; a second run finds it done."""
    document, _failure = render_or_record(event_id)
    return document.pk if document else None


@shared_task(name="backend.requests_app.tasks.render_decision_documents", **RENDER_TASK_OPTIONS)
def render_decision_documents(event_ids: list[int]) -> int:
    """Render the pending documents of these history rows (a batch of commits, backend/core/task_batches.py);
    one that fails is recorded for its back-off and does not stop the others."""
    return sum(render_or_record(event_id)[0] is not None for event_id in event_ids)


def render_or_record(event_id: int) -> tuple[Document | None, Exception | None]:
    """Render the pending document of history row `event_id` (None: no longer pending), or record why it
    failed for its back-off and return that: the worker's tasks and an administrator's "Render now"
    (stuck_documents.py) alike."""
    try:
        return render_pending_document(event_id), None
    except Exception as exc:
        logger.warning("Decision document of history row %s failed to render", event_id, exc_info=True)
        record_render_failure(event_id, exc)
        return None, exc


def render_retry_delay(attempts: int) -> timedelta:
    return min(RENDER_RETRY_FIRST * 2 ** max(attempts - 1, 0), RENDER_RETRY_MAX)


@transaction.atomic
def record_render_failure(event_id: int, exc: Exception) -> None:
    """Count the failed attempt and keep its error; the next waits out its back-off (render_retry_delay)."""
    if _pending_row(event_id, lock=True) is None:  # rendered meanwhile by another attempt
        return
    render, _created = DocumentRender.objects.select_for_update().get_or_create(event_id=event_id)
    render.attempts += 1
    render.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    render.next_retry_at = timezone.now() + render_retry_delay(render.attempts)
    render.save()


def redrive_pending_documents(*, older_than: timedelta) -> list[int]:
    """Beat, every minute: queue the pending documents whose task was lost (broker down, worker killed)
    or whose back-off after a failure is over, each at most once at a time; return their ids."""
    candidates = pending_document_ids(older_than=older_than)
    return _claim_for_rendering(candidates, due_only=True) if candidates else []


def _claim_for_rendering(event_ids: list[int], *, due_only: bool) -> list[int]:
    """Take the pending documents among `event_ids` (with `due_only`, those whose next attempt is due):
    their next_retry_at moves RENDER_LEASE ahead, so no other re-drive takes them while their task runs;
    queue their task and return their ids."""
    now = timezone.now()
    with transaction.atomic():
        # The rows locked first: two re-drives (copies queued while the worker was away) take each once.
        pending = [
            event.pk
            for event in RequestEvent.objects.select_for_update().filter(
                pk__in=event_ids, kind=RequestEvent.Kind.DOCUMENT
            )
            if event.data.get(PENDING_KEY)
        ]
        renders = DocumentRender.objects.in_bulk(pending)
        taken = [
            pk
            for pk in pending
            if not due_only
            or pk not in renders
            or renders[pk].next_retry_at is None
            or renders[pk].next_retry_at <= now
        ]
        lease = now + RENDER_LEASE
        DocumentRender.objects.filter(pk__in=[pk for pk in taken if pk in renders]).update(
            next_retry_at=lease
        )
        DocumentRender.objects.bulk_create(
            [DocumentRender(event_id=pk, next_retry_at=lease) for pk in taken if pk not in renders]
        )
    # Queued once the claim is written (a task that ran before its commit would still find the document
    # pending and render it: the claim only keeps other re-drives away).
    publish_ids(render_decision_documents, taken)
    return taken


def render_pending_document(event_id: int, *, announce: bool = True) -> Document | None:
    """Render, store and link the document of a pending history row; None when it is already done.
    `announce`: write the outbox event that shows the link on the pages open meanwhile (after the step).

    Rendered before any lock is taken (python-docx takes milliseconds and SQLite has one writer), then
    stored exactly once: the history row is locked (SELECT ... FOR UPDATE on PostgreSQL, the IMMEDIATE
    transaction's write lock on SQLite) and re-read, so a redelivered or re-driven task stores nothing.
    """
    row = _pending_row(event_id, lock=False)  # with its failed attempts, if any (DocumentRender)
    if row is None:
        return None
    portal_request = _REQUEST_WITH_PARTIES.first(pk=row.request_id)
    if portal_request is None:  # as get() would: the request of a history row cannot be gone
        raise PortalRequest.DoesNotExist(f"request {row.request_id}")
    params = row.data["render"]
    decided_on = decision_day(portal_request, row)
    content = render_docx(portal_request, decided_on=decided_on, **params)
    with transaction.atomic():
        event = _pending_row(event_id, lock=True)
        if event is None:
            return None
        document = _store_document(
            portal_request, outcome=params["outcome"], content=content, issued_on=decided_on
        )
        # Prepared writes (core/prepared_writes.py): the same UPDATEs without a QuerySet built for each.
        update_row(
            PortalRequest, where={"id": portal_request.pk}, values={"decision_document_id": document.pk}
        )
        data = {key: value for key, value in event.data.items() if key not in {PENDING_KEY, "render"}}
        event.data = {**data, "document_id": document.pk}
        update_row(RequestEvent, where={"id": event.pk}, values={"data": event.data})
        if _has_render(row):  # attempts failed or re-driven before: done now (no statement otherwise)
            DocumentRender.objects.filter(pk=event.pk).delete()
        if announce:
            # The pages open meanwhile show the link live; the decider's page keeps its message.
            outbox.document_ready(portal_request, decided_by_id=_step_actor_id(row))
    return document


def _step_actor_id(row: RequestEvent) -> int | None:
    """Who made the step that wrote the document row: the person of the last history row before it (its
    own step's decision or stage row), None when the system decided (a timer's cancellation)."""
    return (
        RequestEvent.objects.filter(request_id=row.request_id, pk__lt=row.pk, actor__isnull=False)
        .order_by("-pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def decision_day(portal_request: PortalRequest, row: RequestEvent) -> date:
    """The Warsaw day of the decision: its time on the request, else its history row's (written in the
    deciding step). A worker that renders after midnight, a retry or an outage never moves the date."""
    return timezone.localdate(portal_request.decided_at or row.created_at)


def _has_render(row: RequestEvent) -> bool:
    try:
        return row.render is not None
    except DocumentRender.DoesNotExist:
        return False


def _pending_row(event_id: int, *, lock: bool) -> RequestEvent | None:
    event = (_LOCKED_DOCUMENT_ROW if lock else _DOCUMENT_ROW).first(pk=event_id)
    return event if event is not None and event.data.get(PENDING_KEY) else None


def _document_rows(pk: int):
    return RequestEvent.objects.filter(pk=pk, kind=RequestEvent.Kind.DOCUMENT).order_by("pk")


# Read for every decision the worker renders: compiled once per connection (core/prepared_reads.py).
_DOCUMENT_ROW = PreparedRead(lambda pk: _document_rows(pk).select_related("render")[:1], ints=("pk",))
_LOCKED_DOCUMENT_ROW = PreparedRead(lambda pk: _document_rows(pk).select_for_update()[:1], ints=("pk",))
_REQUEST_WITH_PARTIES = PreparedRead(
    lambda pk: PortalRequest.objects.select_related("client", "contract").filter(pk=pk).order_by("pk")[:1],
    ints=("pk",),
)


def pending_document_ids(*, older_than: timedelta) -> list[int]:
    """History rows whose document is still pending after `older_than` and due for an attempt: its task
    was lost (no attempt recorded), or its back-off or re-drive lease is over."""
    now = timezone.now()
    due = Q(render__isnull=True) | Q(render__next_retry_at__isnull=True) | Q(render__next_retry_at__lte=now)
    return list(
        RequestEvent.objects.filter(
            due,
            kind=RequestEvent.Kind.DOCUMENT,
            created_at__lte=now - older_than,
            **{f"data__{PENDING_KEY}": True},
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


def _store_document(
    portal_request: PortalRequest, *, outcome: str, content: bytes, issued_on: date
) -> Document:
    kind, title = document_title(portal_request, outcome=outcome)
    path = store_bytes(content, folder="documents/decisions", extension="docx")
    document = Document(
        client_id=portal_request.client_id,
        contract_id=portal_request.contract_id,
        kind=kind,
        title=title,
        request_number=portal_request.number,
        file=path,
        content_type=CONTENT_TYPES["docx"],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        issued_on=issued_on,  # the date the document bears
    )
    # Kept in Polish, the document's language; a download is named in the downloader's (document_filename).
    document.original_name = document_filename(document, lang="pl")
    insert_rows([document])
    return document
