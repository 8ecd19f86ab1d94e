from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "backend.requests_app"
    label = "requests_app"
    verbose_name = _("Requests")

    def ready(self) -> None:
        # Register the BPMN service-task functions (each request action applies its own steps).
        from backend.requests_app import buyout_effects, complaints, effects  # noqa: F401
