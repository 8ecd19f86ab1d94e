"""Django's database sessions, read on every request with one prepared statement instead of an ORM query.

Same table, same rows, the same expiry check (made on the row read: an expired row also tells that the
session ended idle) and the same signed encoding (nothing is cached, so a logout or a removed session in
any process takes effect on the next request); only the read skips building and compiling a QuerySet and
a Session object: about 0.2 ms of the ~9 ms of server CPU a workflow step costs over HTTP
(bench/bench_http.py). Writes stay Django's.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backend.accounts.audit import AuditAction
from backend.accounts.second_factor import PENDING_SESSION_KEY
from backend.core.services import record_audit

# Sent with `session_keys` once other sessions were ended: notifications closes their open sockets in every
# process (the same message a logout sends), after commit. A signal: accounts sits below notifications.
sessions_ended = Signal()


class SessionStore(db.SessionStore):
    # The row's expiry as read (None before a read, for a new session or a mock): session_seconds_left
    # reports it, so a page knows when an idle session really ends (other writes may have moved it).
    read_expiry: datetime | None = None
    # The key named a row past its expiry: the session ended idle, not by a logout or a deletion, which
    # leave no row (core.session_end.session_end_reason tells the login page which).
    found_expired: bool = False

    def load(self) -> dict:
        data = self._read_session_data()
        if data is None:
            self._session_key = None  # as Django's store: an unknown or expired key starts a new session
            return {}
        return self.decode(data)

    def _read_session_data(self) -> str | None:
        if not self.session_key:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        table, data, key, expiry = (
            quote(name) for name in (model._meta.db_table, "session_data", "session_key", "expire_date")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {data}, {expiry} FROM {table} WHERE {key} = %s",  # noqa: S608
                [self.session_key],
            )
            row = cursor.fetchone()
        expires = _aware(row[1]) if row else None
        self.read_expiry = None
        if expires is None or expires <= timezone.now():  # the expiry check Django's store makes in SQL
            self.found_expired = expires is not None
            return None
        self.read_expiry = expires
        return row[0]


def _aware(value: datetime | str) -> datetime | None:
    """The column as an aware datetime: SQLite gives naive UTC (or text without its converter)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def end_other_sessions(request: HttpRequest) -> int:
    """ "Log out everywhere else": delete every other unexpired session of the logged-in user (and any that
    waits for this user's second-factor code) and audit it; return how many were ended.

    A deleted row is a logout in every process at its next request, as this store reads the row each
    time; the open WebSockets of those sessions are closed as at a logout (`sessions_ended`), and any
    socket a lost message missed stops at its next event (each event re-checks the session). Sessions
    carry no user column, so the unexpired rows are decoded to find the user's.
    """
    user = request.user
    store = SessionStore()
    model = store.model
    rows = (
        model.objects.filter(expire_date__gt=timezone.now())
        .exclude(session_key=request.session.session_key)
        .values_list("session_key", "session_data")
    )
    ended = []
    for key, data in rows.iterator():
        session = store.decode(data)  # a row that does not decode reads as {} (Django's store)
        pending = session.get(PENDING_SESSION_KEY)
        waiting_for = pending.get("user_id") if isinstance(pending, dict) else None
        if str(session.get(SESSION_KEY)) == str(user.pk) or waiting_for == user.pk:
            ended.append(key)
    model.objects.filter(session_key__in=ended).delete()
    if ended:
        sessions_ended.send(sender=SessionStore, session_keys=ended)
    record_audit(action=AuditAction.OTHER_SESSIONS_ENDED, request=request, user=user, ended=len(ended))
    return len(ended)
