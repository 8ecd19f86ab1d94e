from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "backend.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from backend.drafts.services import register_form_object
        from backend.messaging.selectors import get_thread_for_client

        # A draft of a reply names a thread the user may see (drafts sits below messaging).
        register_form_object(
            "message:reply", lambda client, pk: get_thread_for_client(client=client, thread_id=pk)
        )
