"""Activation in two channels: the e-mailed link plus a one-time code handed over by a person.

The code (8 characters, no look-alike letters) is made when staff or the client's administrator create
or invite the user and is shown to them once; only its keyed hash is stored. The activation page needs
the link and the code; ACTIVATION_CODE_MAX_ATTEMPTS wrong codes void it (a new one must be issued).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from backend.accounts.account_emails import AccountEmail, record_account_email
from backend.accounts.audit import AuditAction
from backend.accounts.models import ActivationCode, User
from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.services import record_audit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or over the phone
CODE_LENGTH = 8
_SALT = "backend.accounts.activation_code"


def _hash(user: User, code: str) -> str:
    return salted_hmac(_SALT, f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def normalise_code(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").upper()[:32]


def issue_activation_code(
    user: User, *, issued_by: User | None = None, request: HttpRequest | None = None
) -> str:
    """Make a new one-time activation code for `user` (replacing any earlier one); return it to show once."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    ActivationCode.objects.update_or_create(
        user=user,
        defaults={
            "code_hash": _hash(user, code),
            "issued_by": issued_by,
            "issued_at": timezone.now(),
            "failed_attempts": 0,
            "used_at": None,
        },
    )
    record_audit(
        action=AuditAction.ACTIVATION_CODE_ISSUED,
        request=request,
        user=issued_by,
        username=user.email,
        subject_user_id=user.pk,
    )
    return code


def start_activation(
    user: User,
    *,
    issued_by: User | None = None,
    request: HttpRequest | None = None,
    send_link: Callable[[], None] | None = None,
) -> str:
    """Send the activation link by e-mail (after commit) and return the one-time code for the issuer.

    Every place that creates a user who must activate calls this (the staff's admin action and staff
    page, the client administrator's invitation); the caller shows the returned code once (it is never
    stored in clear and never e-mailed). `send_link` replaces the plain activation e-mail with one of
    the caller's own (the invitation names the company); it runs after commit.
    """
    code = issue_activation_code(user, issued_by=issued_by, request=request)
    if send_link is not None:
        transaction.on_commit(send_link)
    else:
        # The link's outbox event commits with the code: nothing waits on a broker message to exist.
        record_account_email(user, AccountEmail.ACTIVATION)
    return code


def start_activation_by_staff(
    *, staff: User, user_id: int, request: HttpRequest | None = None
) -> tuple[User, str]:
    """The lessor's staff (customer service, admins) start a client user's activation: link + code.

    Only for client users who have not set a password yet (anyone else uses "Forgot password?");
    audited as activation_code_issued with the staff member as actor. Returns the user and the code.
    """
    user = User.objects.filter(pk=user_id, role=User.Role.CLIENT, is_active=True).first()
    if user is None:
        raise NotFound()
    if user.has_usable_password():
        raise PortalValidationError(
            _(
                "This user has activated the account already; a forgotten password is reset from the login page."
            )
        )
    return user, start_activation(user, issued_by=staff, request=request)


# Whether an account's activation still stands, asked of the apps above accounts that know why it may not
# (clients: the invitation was withdrawn or suspended); each answers the sentence to show, or None.
_ACTIVATION_WITHDRAWALS: list[Callable[[User], str | None]] = []


def register_activation_withdrawal(check: Callable[[User], str | None]) -> None:
    if check not in _ACTIVATION_WITHDRAWALS:
        _ACTIVATION_WITHDRAWALS.append(check)


def activation_withdrawn(user: User) -> str | None:
    """Why this account may not be activated any more (shown on the activation page), or None."""
    for check in _ACTIVATION_WITHDRAWALS:
        reason = check(user)
        if reason:
            return reason
    return None


def check_activation_code(user: User, code: str, *, request: HttpRequest | None = None) -> str | None:
    """Return None when `code` is the user's valid code (and use it up), else the reason it is refused.

    Reasons: "missing" (no code was issued), "void" (too many wrong codes or already used), "wrong".
    """
    with transaction.atomic():
        record = ActivationCode.objects.select_for_update().filter(user=user).first()
        if record is None:
            reason = "missing"
        elif record.used_at is not None or record.failed_attempts >= settings.ACTIVATION_CODE_MAX_ATTEMPTS:
            reason = "void"
        elif constant_time_compare(record.code_hash, _hash(user, normalise_code(code))):
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
            return None
        else:
            record.failed_attempts += 1
            record.save(update_fields=["failed_attempts"])
            reason = "void" if record.failed_attempts >= settings.ACTIVATION_CODE_MAX_ATTEMPTS else "wrong"
    record_audit(
        action=AuditAction.ACTIVATION_CODE_FAILED,
        request=request,
        user=user,
        success=False,
        reason=reason,
    )
    return reason
