from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "backend.permits"
    label = "permits"
    verbose_name = _("Permits to take a vehicle abroad")

    def ready(self) -> None:
        # Register the BPMN service-task functions of the permit process and its submit-data rules
        # (requests_app lies below this app, so it names no permit code itself).
        from backend.permits import effects  # noqa: F401
        from backend.permits.validation import VehicleAbroadPermitDataSerializer
        from backend.requests_app.models import RequestKind
        from backend.requests_app.validation import DATA_SERIALIZERS

        DATA_SERIALIZERS[RequestKind.VEHICLE_ABROAD_PERMIT] = VehicleAbroadPermitDataSerializer
