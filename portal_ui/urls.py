from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal_ui import account_views, calendar_views, client_views, reply_link_views, views
from portal_ui.favicon import favicon

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PortalPasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", views.PortalPasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/", account_views.account_page, name="account-page"),
    path("account/calendar/", calendar_views.calendar_page, name="calendar-page"),
    path("reply/<str:token>/", reply_link_views.reply_by_link_page, name="reply-by-link"),
    path("client/switch/", views.switch_client, name="switch-client"),
    path("staff/", views.staff_home, name="staff-home"),
    path("analyst/", views.analyst_home, name="analyst-home"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Client pages: finance, documents, messages, help (portal_ui/client_views.py).
    path("invoices/", client_views.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>/", client_views.invoice_page, name="invoice-page"),
    path(
        "invoices/<int:invoice_id>/duplicate/", client_views.invoice_duplicate, name="invoice-duplicate-new"
    ),
    path("archive/", client_views.archive_list, name="archive"),
    path("settlements/", client_views.settlements, name="settlements"),
    path("settlements/schedule/", client_views.schedule_download, name="schedule-download"),
    path("settlements/<slug:figure>/", client_views.settlement_page, name="settlement-page"),
    path("contracts/", client_views.contract_list, name="contracts"),
    path("contracts/<int:contract_id>/", client_views.contract_page, name="contract-page"),
    path(
        "contracts/<int:contract_id>/policies/<int:policy_id>/", client_views.policy_page, name="policy-page"
    ),
    path("policies/", client_views.policies, name="policies"),
    path("client-data/", client_views.client_data, name="client-data-page"),
    path("client-data/change/", client_views.client_data_change, name="client-data-change"),
    path("documents/", client_views.document_list, name="documents"),
    path("messages/", client_views.message_list, name="messages"),
    path("messages/new/", client_views.message_new, name="message-new"),
    path("messages/<int:thread_id>/", client_views.message_page, name="message-page"),
    path("messages/<int:thread_id>/comment/", client_views.message_comment, name="message-comment-page"),
    path("help/", client_views.help_page, name="help"),
    # Requests: client list, wizard and processing view, staff tasks, flow editor (request_urls.py).
    path("", include("portal_ui.request_urls")),
    path("", include("portal_ui.staff_urls")),  # staff workspace: message inbox
]
