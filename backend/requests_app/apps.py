from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "backend.requests_app"
    label = "requests_app"

    def ready(self) -> None:
        # Register the BPMN service-task functions and the one engine-step → request-status mapping.
        from backend.requests_app import effects  # noqa: F401
        from backend.requests_app.lifecycle import sync_request_with_step
        from workflows.services import on_instance_step

        on_instance_step(sync_request_with_step)
