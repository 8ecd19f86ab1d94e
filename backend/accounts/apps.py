from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # A lock-out after failed logins goes to the audit log (the logins themselves: audit.py).
        from axes.signals import user_locked_out

        from backend.accounts.lockout import record_locked_out

        user_locked_out.connect(record_locked_out, dispatch_uid="portal_audit_locked_out")
