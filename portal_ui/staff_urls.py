"""Pages of the staff workspace: the message inbox (Skrzynka wiadomości) and client access (activation, second factor)."""

from django.urls import path

from portal_ui import (
    staff_activation_views,
    staff_client_views,
    staff_dashboard_views,
    staff_inbox_views,
    staff_second_factor_views,
)

urlpatterns = [
    path("staff/messages/", staff_inbox_views.inbox, name="staff-messages"),
    path("staff/messages/<id:thread_id>/", staff_inbox_views.thread_page, name="staff-message-page"),
    path(
        "staff/messages/<id:thread_id>/<slug:action>/",
        staff_inbox_views.thread_action,
        name="staff-message-action",
    ),
    # Aktywacja klientów: the activation link and a one-time code for a client user (shown once).
    path("staff/client-users/", staff_activation_views.client_users, name="staff-client-users"),
    path(
        "staff/client-users/<id:user_id>/activation/",
        staff_activation_views.issue_activation,
        name="staff-client-activation",
    ),
    # A client user who lost their authenticator app: customer service reset it after checking who calls.
    path(
        "staff/client-users/<id:user_id>/second-factor/",
        staff_second_factor_views.reset_second_factor,
        name="staff-second-factor-reset",
    ),
    # Customer service's client pages: the search and one client's overview, with its invoices' PDFs.
    path("staff/clients/", staff_client_views.client_search, name="staff-clients"),
    path("staff/clients/<id:client_id>/", staff_client_views.client_page, name="staff-client-page"),
    path(
        "staff/clients/<id:client_id>/invoices/<id:invoice_id>/pdf/",
        staff_client_views.invoice_pdf_download,
        name="staff-client-invoice-pdf",
    ),
    # The admin dashboard's operations: render a decision document that failed again, now.
    path(
        "staff/documents/<id:event_id>/retry/",
        staff_dashboard_views.retry_document,
        name="staff-document-retry",
    ),
]
