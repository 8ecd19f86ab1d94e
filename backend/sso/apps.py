from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "backend.sso"
    label = "sso"
    verbose_name = _("Bank single sign-on")

    def ready(self) -> None:
        # Login, failed login and logout go to the audit log wherever they happen.
        from backend.accounts import audit

        audit.connect_signals()
