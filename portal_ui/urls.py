from django.urls import include, path

from portal_ui import (
    account_views,
    buyout_views,
    calendar_views,
    client_user_views,
    contract_views,
    document_views,
    editor_views,
    finance_views,
    invitation_views,
    message_views,
    notice_views,
    reply_link_views,
    views,
)
from portal_ui.favicon import favicon

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("session/renew/", views.renew_session, name="session-renew"),
    path("password/change/", views.PortalPasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", views.PortalPasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/", account_views.account_page, name="account-page"),
    path("account/calendar/", calendar_views.calendar_page, name="calendar-page"),
    path("notices/", notice_views.notices_page, name="notices-page"),
    path("reply/<str:token>/", reply_link_views.reply_by_link_page, name="reply-by-link"),
    path("client/switch/", views.switch_client, name="switch-client"),
    # The invited person's answer to a company's invitation (the banner of base.html).
    path(
        "client/invitations/<id:membership_id>/accept/",
        invitation_views.invitation_accept,
        name="client-invitation-accept-page",
    ),
    path(
        "client/invitations/<id:membership_id>/decline/",
        invitation_views.invitation_decline,
        name="client-invitation-decline-page",
    ),
    # The client administrator's users page (Użytkownicy).
    path("client/users/", client_user_views.users_page, name="client-users-page"),
    path("client/users/<id:membership_id>/", client_user_views.user_page, name="client-user-page"),
    path(
        "client/users/<id:membership_id>/suspend/",
        client_user_views.user_suspend,
        name="client-user-suspend-page",
    ),
    path(
        "client/users/<id:membership_id>/resume/",
        client_user_views.user_resume,
        name="client-user-resume-page",
    ),
    path(
        "client/users/<id:membership_id>/remove/",
        client_user_views.user_remove,
        name="client-user-remove-page",
    ),
    path(
        "client/users/<id:membership_id>/activation/",
        client_user_views.user_new_activation,
        name="client-user-activation-page",
    ),
    path("staff/", views.staff_home, name="staff-home"),
    # The analyst's start page is the list of process flows itself (flow-list's own URL stays too).
    path("analyst/", editor_views.flow_list, name="analyst-home"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Client pages: finances, contracts and client data, documents and help, messages.
    path("invoices/", finance_views.invoice_list, name="invoices"),
    path("invoices/accounting-zip/", finance_views.accounting_zip, name="accounting-zip"),
    path(
        "invoices/accounting-zip/<id:export_id>/",
        finance_views.accounting_export_file,
        name="accounting-export-file",
    ),
    path("invoices/<id:invoice_id>/", finance_views.invoice_page, name="invoice-page"),
    path(
        "invoices/<id:invoice_id>/duplicate/", finance_views.invoice_duplicate, name="invoice-duplicate-new"
    ),
    path("archive/", finance_views.archive_list, name="archive"),
    path("settlements/", finance_views.settlements, name="settlements"),
    path("settlements/schedule/", finance_views.schedule_download, name="schedule-download"),
    path("settlements/<slug:figure>/", finance_views.settlement_page, name="settlement-page"),
    path("contracts/", contract_views.contract_list, name="contracts"),
    path("contracts/<id:contract_id>/", contract_views.contract_page, name="contract-page"),
    path(
        "contracts/<id:contract_id>/policies/<id:policy_id>/",
        contract_views.policy_page,
        name="policy-page",
    ),
    # Buyout / early termination quote (portal_ui/buyout_views.py).
    path("buyout/", buyout_views.buyout_start, name="buyout-start"),
    path("contracts/<id:contract_id>/buyout/", buyout_views.contract_buyout, name="buyout-page"),
    path(
        "contracts/<id:contract_id>/buyout/<id:quote_id>/",
        buyout_views.buyout_quote_page,
        name="buyout-quote-page",
    ),
    path(
        "contracts/<id:contract_id>/buyout/<id:quote_id>/counter-answer/",
        buyout_views.buyout_counter_answer,
        name="buyout-counter-answer-page",
    ),
    path(
        "staff/tasks/<id:request_id>/buyout-counter/",
        buyout_views.staff_buyout_counter,
        name="staff-buyout-counter",
    ),
    path("policies/", contract_views.policies, name="policies"),
    path("client-data/", contract_views.client_data, name="client-data-page"),
    path("client-data/change/", contract_views.client_data_change, name="client-data-change"),
    path("documents/", document_views.document_list, name="documents"),
    path("messages/", message_views.message_list, name="messages"),
    path("messages/new/", message_views.message_new, name="message-new"),
    path("messages/<id:thread_id>/", message_views.message_page, name="message-page"),
    path("messages/<id:thread_id>/comment/", message_views.message_comment, name="message-comment-page"),
    path("help/", document_views.help_page, name="help"),
    # Requests: client list, wizard and processing view, staff tasks, flow editor (request_urls.py).
    path("", include("portal_ui.request_urls")),
    path("", include("portal_ui.staff_urls")),  # staff workspace: message inbox
]
