"""Put every login, failed login and logout in the audit log, whichever view or backend did it."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from backend.core.services import record_audit


class AuditAction:
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    SSO_HANDOFF = "sso_handoff"
    SSO_REJECTED = "sso_rejected"
    SSO_HANDOFF_DECLINED = "sso_handoff_declined"  # the browser's user kept their session instead
    ACTIVATION = "account_activated"
    ACTIVATION_LINK_INVALID = "activation_link_invalid"
    PASSWORD_RESET_REQUESTED = "password_reset_requested"
    PASSWORD_RESET_THROTTLED = "password_reset_throttled"
    PASSWORD_RESET = "password_reset"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    SECOND_FACTOR_OK = "second_factor_ok"
    SECOND_FACTOR_SKIPPED_SSO = "second_factor_skipped_bank_sso"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled"
    SECOND_FACTOR_DISABLED = "second_factor_disabled"
    SECOND_FACTOR_RESET = "second_factor_reset"
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated"
    REMEMBERED_DEVICES_FORGOTTEN = "remembered_devices_forgotten"
    OTHER_SESSIONS_ENDED = "other_sessions_ended"  # "log out everywhere else" (session_store.py)
    ACTIVATION_CODE_ISSUED = "activation_code_issued"
    ACTIVATION_CODE_FAILED = "activation_code_failed"
    # The lock-out after failed logins (backend/accounts/lockout.py) and its end by an administrator.
    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    # Users created and their role or access changed in the Django admin (backend/accounts/admin.py).
    USER_CREATED = "user_created"
    USER_ACCESS_CHANGED = "user_access_changed"
    USER_DELETED = "user_deleted"


def _on_logged_in(sender, request, user, **kwargs) -> None:
    # The SSO view marks its logins so the log tells password logins from bank hand-offs.
    method = getattr(request, "portal_login_method", "password") if request is not None else "password"
    record_audit(action=AuditAction.LOGIN, request=request, user=user, method=method)


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the username is kept.
    username = str(credentials.get("username") or credentials.get("email") or "")[:254]
    # A wrong second-factor code is reported the same way (it counts toward the same lock-out).
    purpose = getattr(request, "portal_second_factor", None) if request is not None else None
    if purpose:
        record_audit(
            action=AuditAction.SECOND_FACTOR_FAILED,
            request=request,
            username=username,
            success=False,
            purpose=purpose,
        )
        return
    record_audit(action=AuditAction.LOGIN_FAILED, request=request, username=username, success=False)


def _on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_audit(action=AuditAction.LOGOUT, request=request, user=user)


def connect_signals() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="portal_audit_login")
    user_login_failed.connect(_on_login_failed, dispatch_uid="portal_audit_login_failed")
    user_logged_out.connect(_on_logged_out, dispatch_uid="portal_audit_logout")
