"""The lock-out after failed logins (django-axes): who is locked, unlocking by hand, the audit rows.

Three limits, so guessing stops without a stranger being able to lock the owner out:
- AXES_FAILURE_LIMIT (5) failures of one login name from one IP address lock that name *from that
  address* (AXES_LOCKOUT_PARAMETERS: the pair): the owner elsewhere still logs in, and a stranger's typos
  lock only the stranger;
- LOGIN_FAILURE_LIMIT_PER_IP failures from one address, whatever the names, refuse every login from it
  (password spraying: one password tried on many accounts);
- LOGIN_FAILURE_LIMIT_PER_ACCOUNT failures of one name, whatever the addresses, lock the account
  everywhere (guessing spread over many addresses); the owner ends it with a password reset.
The lock-out page and its JSON answer (`lockout_response`, AXES_LOCKOUT_CALLABLE) say which of the three
stopped the login: an address-wide block told as "your account is locked" sent owners to worry about a
compromised account. Each counts the failures of the last AXES_COOLOFF_TIME (login names as `auth_backend.login_username`: the
e-mail, lower case). An administrator unlocks in the Django admin (users: the action "Unlock"; or deleting
the axes rows), a password reset unlocks the account too (access_views.py): both delete the name's rows,
from every address. Every lock and unlock is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.audit import AuditAction
from backend.accounts.auth_backend import login_username
from backend.accounts.models import User
from backend.core.exceptions import is_api_request
from backend.core.models import AuditLog
from backend.core.services import record_audit


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler (AXES_HANDLER), its count of the pair widened by the address's and the
    account's limits: axes compares one number with one limit, so either limit reached counts as the
    pair's limit (the lock-out page, the audit row and reset-on-success stay axes' own)."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        # Two failures of one account from one address at once (one code posted by several sessions) both
        # find no row and both insert it: the second, refused by the unique key, counts on the first's row.
        try:
            with transaction.atomic():
                super().user_login_failed(sender, credentials, request, **kwargs)
        except IntegrityError:
            super().user_login_failed(sender, credentials, request, **kwargs)

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        if pair < settings.AXES_FAILURE_LIMIT and lock_scope(request, credentials) is not None:
            return settings.AXES_FAILURE_LIMIT
        return pair


def _failures_since(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def lock_scope(request, credentials: dict | None = None) -> str | None:
    """Which wider limit the login reaches: "address" (failures from its IP, any names), "account" (the
    name's failures from any address) or None."""
    # axes' own window (from the attempt's time) where axes has seen the request
    since = get_cool_off_threshold(request) if hasattr(request, "axes_attempt_time") else _window_start()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    address = getattr(request, "axes_ip_address", None)
    if address and _failures_since(recent.filter(ip_address=address)) >= settings.LOGIN_FAILURE_LIMIT_PER_IP:
        return "address"
    username = get_client_username(request, credentials)
    if (
        username
        and _failures_since(recent.filter(username=username)) >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT
    ):
        return "account"
    return None


def login_key(email: str) -> str:
    """The name axes counts an account's failures under."""
    return login_username(None, {"username": email})


def _window_start():
    return timezone.now() - get_cool_off()


def cool_off_minutes() -> int:
    """How long the failures count (and a lock-out lasts after the last of them), in minutes."""
    return int(get_cool_off().total_seconds() // 60)


def _recent_attempts() -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=_window_start())


def failures(user: User) -> int:
    """The account's failed logins that still count, from every address (axes sums its rows of the cool-off
    window); AXES_FAILURE_LIMIT of them have locked it at least where they came from."""
    total = _recent_attempts().filter(username=login_key(user.email)).aggregate(n=Sum("failures_since_start"))
    return total["n"] or 0


def is_locked(user: User) -> bool:
    return failures(user) >= settings.AXES_FAILURE_LIMIT


def with_failures(users: QuerySet[User]) -> QuerySet[User]:
    """Annotate `lock_failures` (the counted failures) on a list of users in the same query, for the
    admin's "locked" column and filter. Stored e-mails are lower case, as axes' login names are."""
    counted = (
        _recent_attempts()
        .filter(username=OuterRef("email"))
        .order_by()
        .values("username")
        .annotate(n=Sum("failures_since_start"))
        .values("n")
    )
    return users.annotate(lock_failures=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


def unlock(user: User, *, by: User, request: HttpRequest | None = None) -> bool:
    """End the account's lock-out (its counted failures go); audited. False when it was not locked."""
    counted = failures(user)
    if counted < settings.AXES_FAILURE_LIMIT:
        return False
    AccessAttempt.objects.filter(username=login_key(user.email)).delete()
    _record_unlock(user.email, counted, by=by, request=request, via="user")
    return True


def attempts_deleted(usernames: list[str], *, by: User, request: HttpRequest | None = None) -> None:
    """Rows of axes deleted by hand in its admin: each login name that was locked is unlocked (audited).
    Call before the delete, with the login names of the rows about to go."""
    for username in sorted(set(usernames)):
        total = _recent_attempts().filter(username=username).aggregate(n=Sum("failures_since_start"))
        counted = total["n"] or 0
        if counted >= settings.AXES_FAILURE_LIMIT:
            _record_unlock(username, counted, by=by, request=request, via="access_attempts")


def _record_unlock(username: str, counted: int, *, by: User, request: HttpRequest | None, via: str) -> None:
    record_audit(
        action=AuditAction.ACCOUNT_UNLOCKED,
        request=request,
        user=by,
        username=username,
        via=via,
        before={"locked": True, "failures": counted},
        after={"locked": False, "failures": 0},
    )


# The rows that start or end a lock-out.
_LOCK_ROWS = (AuditAction.ACCOUNT_LOCKED, AuditAction.ACCOUNT_UNLOCKED, AuditAction.PASSWORD_RESET)


def record_locked_out(sender, request=None, username: str = "", **kwargs) -> None:
    """axes' user_locked_out: one audit row per lock-out. Axes sends it again for every attempt while
    the account stays locked (those are in the log as failed logins): a lock recorded in the window and
    not ended since (unlock, password reset) is the same lock."""
    username = str(username or "")[:254]
    last = (
        AuditLog.objects.filter(username=username, created_at__gte=_window_start(), action__in=_LOCK_ROWS)
        .order_by("-created_at", "-pk")
        .values_list("action", flat=True)
        .first()
    )
    if last == AuditAction.ACCOUNT_LOCKED:
        return
    record_audit(
        action=AuditAction.ACCOUNT_LOCKED,
        request=request,
        username=username,
        success=False,
        # "address": every login from the IP is refused; "account": the account from everywhere; None:
        # the account from this address (its own AXES_FAILURE_LIMIT).
        scope=lock_scope(request, {"username": username}) if request is not None else None,
        failures=getattr(request, "axes_failures_since_start", None),
        until_about=(timezone.now() + get_cool_off()).isoformat(timespec="minutes"),
    )


class LockScope(StrEnum):
    """Which limit refuses the login (lock_scope's answer, None being PAIR)."""

    PAIR = "pair"  # this account from this address (AXES_FAILURE_LIMIT)
    ADDRESS = "address"  # every account from this address (LOGIN_FAILURE_LIMIT_PER_IP)
    ACCOUNT = "account"  # this account from every address (LOGIN_FAILURE_LIMIT_PER_ACCOUNT)


# The error shape's `code` of each (listed in backend/core/api_guide.py).
LOCK_ERROR_CODES = {
    LockScope.PAIR: "login_locked",
    LockScope.ADDRESS: "address_locked",
    LockScope.ACCOUNT: "account_locked",
}


@dataclass(frozen=True)
class LockOut:
    scope: LockScope
    title: str
    message: str
    retry_after: int | None  # seconds; None: ends by a reset or an administrator, not by waiting


def describe_lock(request: HttpRequest, credentials: dict | None = None) -> LockOut:
    """What the refused login is told, in the active language: which limit, until when, what helps."""
    AxesProxyHandler.update_request(request)  # the address and time axes counts with
    scope = LockScope(lock_scope(request, credentials) or LockScope.PAIR)
    minutes = cool_off_minutes()
    # Every attempt while locked is a failure too: the lock lasts until the attempts have stopped that long.
    if scope == LockScope.ADDRESS:
        return LockOut(
            scope,
            _("Logins from your network temporarily refused"),
            _(
                "There were too many failed logins from your network address, to various accounts. For"
                " security, every login from this address is refused until %(minutes)s minutes after the"
                " last attempt; this applies to other accounts too. Your account is not locked: from"
                " another network it logs in as usual. If many people share this network (an office), tell"
                " your IT department."
            )
            % {"minutes": minutes},
            minutes * 60,
        )
    if scope == LockScope.ACCOUNT:
        return LockOut(
            scope,
            _("Account locked after failed logins"),
            _(
                "There were too many failed logins to this account from many addresses, so it is locked"
                " everywhere. Waiting does not end it while the attempts go on: reset your password (that"
                " ends the lock at once) or call customer service, who can unlock the account."
            ),
            None,
        )
    return LockOut(
        scope,
        _("Account temporarily locked on this network"),
        _(
            "There were %(limit)s failed logins to this account from your network address. For your"
            " security, logging in to it from this address is locked until %(minutes)s minutes after the"
            " last attempt. From other addresses the account logs in as usual. Try again later or reset"
            " your password."
        )
        % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        minutes * 60,
    )


def _wants_json(request: HttpRequest) -> bool:
    # An API client logs in at /login/ (the API guide): JSON when it asks for it, as axes did for XHR.
    return (
        is_api_request(request)
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The refused login's answer (AXES_LOCKOUT_CALLABLE, and the code steps'): 429, the page or the error
    shape, saying which limit was reached."""
    lock = describe_lock(request, credentials)
    if _wants_json(request):
        body = {"code": LOCK_ERROR_CODES[lock.scope], "message": lock.message, "fields": {}}
        response = JsonResponse(body, status=429)
    else:
        response = render(request, "portal_ui/locked_out.html", {"lock": lock}, status=429)
    if lock.retry_after:
        response["Retry-After"] = str(lock.retry_after)
    return response
