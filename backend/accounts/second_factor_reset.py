"""Customer service reset a user's second factor: the authenticator app was lost, the phone replaced.

Who may ask is checked by a person (by phone or in person) before the reset; the reset itself removes the
app, the recovery codes and every remembered browser, records who did it and why in the audit log, and
tells the user by e-mail, so a reset nobody asked for does not go unnoticed. At the next login a user who
must use a second factor (a client administrator, staff) sets up the app again; others may.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.account_emails import AccountEmail, record_account_email
from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.accounts.second_factor import remove_second_factor
from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.services import record_audit

REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500


def users_with_second_factor(user_ids: list[int]) -> set[int]:
    """The ids among `user_ids` of users with an authenticator app or recovery codes (one query)."""
    totp = TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True)
    static = StaticDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
        "user_id", flat=True
    )
    return set(totp.union(static))


def validate_reset(*, reason: str, identity_checked: bool) -> str:
    """Return the cleaned reason, or raise PortalValidationError naming each field that is wrong."""
    reason = " ".join(str(reason or "").split())
    errors: dict[str, list[str]] = {}
    if len(reason) < REASON_MIN_LENGTH:
        errors["reason"] = [
            _(
                "Say why in at least %(count)d characters (e.g. “phone lost, identity checked by a call back”)."
            )
            % {"count": REASON_MIN_LENGTH}
        ]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("At most %(count)d characters.") % {"count": REASON_MAX_LENGTH}]
    if not identity_checked:
        errors["identity_checked"] = [_("Confirm that you have checked who is asking.")]
    if errors:
        raise PortalValidationError(fields=errors)
    return reason


def reset_second_factor(
    *, user: User, reset_by: User, reason: str, identity_checked: bool, request: HttpRequest | None = None
) -> None:
    """Remove the user's authenticator app, recovery codes and remembered browsers; audit; e-mail the user.

    Raises PortalValidationError when the reason or the identity check is missing, or the user has no
    second factor to reset.
    """
    reason = validate_reset(reason=reason, identity_checked=identity_checked)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one reset of a user at a time
        if not remove_second_factor(user):  # nothing removed: the secret's rotation rolls back too
            raise PortalValidationError(_("This user has no second factor to reset."))
        record_audit(
            action=AuditAction.SECOND_FACTOR_RESET,
            request=request,
            user=reset_by,
            username=user.email,
            subject_user_id=user.pk,
            reason=reason,
        )
        # The notice's outbox event commits with the reset (counted, retried and re-driven like every
        # e-mail); the worker only delivers it.
        record_account_email(user, AccountEmail.SECOND_FACTOR_RESET)


def resettable_client_user(user_id: int) -> User | None:
    """The active client user whose second factor customer service may reset, or None."""
    return User.objects.filter(pk=user_id, role=User.Role.CLIENT, is_active=True).first()


def reset_client_second_factor(
    *, staff: User, user_id: int, reason: str, identity_checked: bool, request: HttpRequest | None = None
) -> User:
    """Customer service reset a client user's second factor (the staff page); return the user.

    Only active client users: back-office accounts are reset by an administrator in the Django admin.
    """
    user = resettable_client_user(user_id)
    if user is None:
        raise NotFound()
    reset_second_factor(
        user=user, reset_by=staff, reason=reason, identity_checked=identity_checked, request=request
    )
    return user
