"""Pages of the staff workspace: the message inbox (Skrzynka wiadomości)."""

from django.urls import path

from portal_ui import staff_inbox_views

urlpatterns = [
    path("staff/messages/", staff_inbox_views.inbox, name="staff-messages"),
    path("staff/messages/<int:thread_id>/", staff_inbox_views.thread_page, name="staff-message-page"),
    path(
        "staff/messages/<int:thread_id>/<slug:action>/",
        staff_inbox_views.thread_action,
        name="staff-message-action",
    ),
]
