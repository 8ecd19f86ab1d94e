from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "backend.requests_app"
    label = "requests_app"

    def ready(self) -> None:
        # Register the BPMN service-task functions (each request action applies its own steps).
        from backend.requests_app import buyout_effects, complaints, effects  # noqa: F401
