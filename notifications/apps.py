from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from backend.accounts.session_store import sessions_ended
        from backend.clients.active import active_client_changed
        from backend.core.services import on_outbox_commit
        from notifications.dispatch import dispatch_notifications
        from notifications.push import (
            end_session_sockets,
            end_sockets_of_sessions,
            move_session_sockets,
            wake_push_relays,
        )

        on_outbox_commit(dispatch_notifications)
        on_outbox_commit(wake_push_relays)
        # Open sockets follow the session: closed at logout, reconnected when it acts for another client.
        user_logged_out.connect(end_session_sockets, dispatch_uid="notifications_end_session_sockets")
        sessions_ended.connect(end_sockets_of_sessions, dispatch_uid="notifications_end_sockets_of_sessions")
        active_client_changed.connect(move_session_sockets, dispatch_uid="notifications_move_session_sockets")
