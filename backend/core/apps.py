from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from backend.core import net  # noqa: F401  registers the PORTAL_TRUSTED_PROXIES check
