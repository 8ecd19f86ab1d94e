from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "backend.sso"
    label = "sso"
    verbose_name = "Bank single sign-on"

    def ready(self) -> None:
        # Login, failed login and logout go to the audit log wherever they happen.
        from backend.accounts import audit

        audit.connect_signals()
