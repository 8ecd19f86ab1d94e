from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"

    def ready(self) -> None:
        from backend.core.services import on_outbox_commit
        from notifications.dispatch import dispatch_notifications
        from notifications.push import wake_push_relays

        on_outbox_commit(dispatch_notifications)
        on_outbox_commit(wake_push_relays)
