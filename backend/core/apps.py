from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from backend.core import net  # noqa: F401  registers the PORTAL_TRUSTED_PROXIES check
        from backend.core.ids import IdConverter
        from backend.core.middleware import stamp_login_time
        from backend.core.text_order import register_sqlite_functions
        from backend.core.text_search import register_sqlite_like

        # `<id:…>` in every URLconf: before any of them is imported (the first request or reverse()).
        register_converter(IdConverter, "id")

        # Every login path (password, SSO, activation link, force_login) starts the absolute lifetime.
        user_logged_in.connect(stamp_login_time, dispatch_uid="core_stamp_login_time")

        # The sort key of text columns on SQLite (backend/core/text_order.py), on every connection.
        connection_created.connect(register_sqlite_functions, dispatch_uid="core_sqlite_text_order")
        # LIKE that ignores the case of every letter on SQLite (backend/core/text_search.py): `icontains`.
        connection_created.connect(register_sqlite_like, dispatch_uid="core_sqlite_like")
