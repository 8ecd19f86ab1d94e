from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "backend.requests_app"
    label = "requests_app"
    verbose_name = _("Requests")

    def ready(self) -> None:
        # Register the BPMN service-task functions (each request action applies its own steps), and the
        # words of a request's status in an incident's reason (lifecycle: workflows.reason_words).
        from backend.drafts.services import register_form_object, register_request_kinds
        from backend.requests_app import buyout_effects, complaints, effects, lifecycle  # noqa: F401
        from backend.requests_app.models import RequestKind
        from backend.requests_app.selectors import get_request_for_client

        # A draft of a new request names a kind of the catalogue ("request:<kind>"), nothing else.
        register_request_kinds(RequestKind.values)

        # A draft of a reply or a comment names a request the user may see (drafts sits below requests_app).
        for form in ("request:reply", "request:comment"):
            register_form_object(
                form, lambda client, pk: get_request_for_client(client=client, request_id=pk)
            )
