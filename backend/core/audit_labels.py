"""The audit log's action codes as people read them (the admin's list, filter and CSV export).

The apps write their own codes through `record_audit` (accounts/audit.py, clients/members.py, workflows…);
core imports none of them, so their readable names live here, in one table
(tests/admin_walk14/test_audit_log_admin.py checks that every code the apps declare has one).
A code missing here is shown as it is, never hidden.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS = {
    # Logging in and out (backend/accounts/audit.py, second_factor*.py, sso/views.py)
    "login": _("Logged in"),
    "login_failed": _("Failed login"),
    # Django's own catalog has "Logged out" as an adjective ("Wylogowany(-na)"), and it wins a merge.
    "logout": pgettext_lazy("audit action", "Logged out"),
    "sso_handoff": _("Logged in from the bank"),
    "sso_rejected": _("Bank login refused"),
    "sso_handoff_declined": _("Bank login declined (another user stayed logged in)"),
    "second_factor_ok": _("Second factor confirmed"),
    "second_factor_failed": _("Wrong second-factor code"),
    "second_factor_skipped_bank_sso": _("Second factor skipped (bank login)"),
    "second_factor_enrolled": _("Authenticator app set up"),
    "second_factor_disabled": _("Second factor switched off"),
    "second_factor_reset": _("Second factor reset"),
    "recovery_codes_regenerated": _("New recovery codes"),
    "remembered_devices_forgotten": _("Remembered devices forgotten"),
    "other_sessions_ended": _("Logged out on all other devices"),
    "account_locked": _("Account locked (failed logins)"),
    "account_unlocked": _("Account unlocked"),
    # Activation and passwords (backend/accounts/activation*.py, password_reset.py, access_views.py)
    "account_activated": _("Account activated"),
    "activation_link_invalid": _("Invalid activation link"),
    "activation_code_issued": _("Activation code issued"),
    "activation_code_failed": _("Wrong activation code"),
    "password_reset_requested": _("Password reset requested"),
    "password_reset_throttled": _("Password reset refused (too many requests)"),
    "password_reset": _("Password reset done"),
    # Users managed in the Django admin (backend/accounts/admin.py)
    "user_created": _("User created"),
    "user_access_changed": _("User's role or access changed"),
    "user_deleted": _("User deleted"),
    # A client's users managed by its administrator (backend/clients/members.py)
    "client_member_invited": _("Company user invited"),
    "client_member_changed": _("Company user changed"),
    "client_member_suspended": _("Company user suspended"),
    "client_member_resumed": _("Company user resumed"),
    "client_member_removed": _("Company user removed"),
    "client_member_activation_reissued": _("New activation code for a company user"),
    "client_member_accepted": _("Invitation to a company accepted"),
    "client_member_declined": _("Invitation to a company declined"),
    # Requests, messages, permits, calendar
    "reply_link_used": _("Reply by e-mail link"),
    "reply_link_refused": _("Reply link refused"),
    "message.assigned": _("Message thread assigned"),
    "permit.revoked": _("Permit revoked"),
    "calendar_feed_regenerated": _("Calendar address regenerated"),
    # A client's invoice downloaded on the staff client page (portal_ui/staff_client_views.py)
    "staff_invoice_downloaded": _("Invoice PDF downloaded by customer service"),
    # Process versions and the repair console (workflows/, backend/requests_app/repair_steps.py)
    "workflow.deploy": _("Process version deployed"),
    "workflow.reactivate": _("Process version made current again"),
    "workflow.rollback": _("Process version rolled back"),
    "workflow.migrate_instance": _("Instance moved to another version"),
    "workflow.repair.retry": _("Repair: retried"),
    "workflow.repair.suspend": _("Repair: suspended"),
    "workflow.repair.resume": _("Repair: resumed"),
    "workflow.repair.edit_data": _("Repair: task data edited"),
    # The ops page's words (its "Return the request to a task"), not the engine's token.
    "workflow.repair.move_token": _("Repair: request returned to a task"),
    "workflow.repair.cancel": _("Repair: cancelled by the lessor"),
    "workflow.repair.resolve_incident": _("Repair: incident resolved"),
    # The audit log itself (backend/core/admin.py)
    "audit_log_exported": _("Audit log exported"),
}

# Actions done before or without a login: the row's user is the account concerned (the subject), not
# someone who acted while logged in.
WITHOUT_LOGIN = frozenset(
    {
        "login_failed",
        "sso_rejected",
        "second_factor_failed",
        "account_locked",
        "account_activated",
        "activation_link_invalid",
        "activation_code_failed",
        "password_reset_requested",
        "password_reset_throttled",
        "password_reset",
        "reply_link_used",
        "reply_link_refused",
    }
)

# Actions on an account named by the caller (`username`): it is the subject even when it is the actor's
# own (an administrator changing their own role), so the "concerns" column names it then too.
ABOUT_AN_ACCOUNT = frozenset(
    {
        "user_created",
        "user_access_changed",
        "user_deleted",
        "second_factor_reset",
        "account_unlocked",
        "activation_code_issued",
    }
)


def action_label(code: str) -> str:
    """The action's readable name in the active language (the code itself when it has none)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
