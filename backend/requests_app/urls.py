from django.urls import path

from backend.requests_app import apis

urlpatterns = [
    path("requests/catalogue/", apis.RequestCatalogueApi.as_view(), name="requests-catalogue"),
    path("requests/", apis.RequestListCreateApi.as_view(), name="requests"),
    path("requests/schedule-quote/", apis.ScheduleQuoteApi.as_view(), name="requests-schedule-quote"),
    path("requests/attachments/", apis.RequestAttachmentUploadApi.as_view(), name="requests-attachments"),
    path(
        "requests/attachments/<int:attachment_id>/download/",
        apis.RequestAttachmentDownloadApi.as_view(),
        name="requests-attachment-download",
    ),
    path("requests/<int:request_id>/", apis.RequestDetailApi.as_view(), name="requests-detail"),
    path("requests/<int:request_id>/reply/", apis.RequestReplyApi.as_view(), name="requests-reply"),
    path("requests/<int:request_id>/cancel/", apis.RequestCancelApi.as_view(), name="requests-cancel"),
    path("requests/<int:request_id>/comments/", apis.RequestCommentsApi.as_view(), name="requests-comments"),
    path(
        "requests/<int:request_id>/decision-document/",
        apis.RequestDecisionDocumentApi.as_view(),
        name="requests-decision-document",
    ),
    path("staff/tasks/", apis.StaffTaskListApi.as_view(), name="staff-tasks"),
    path(
        "staff/requests/<int:request_id>/", apis.StaffRequestDetailApi.as_view(), name="staff-requests-detail"
    ),
    path("staff/requests/<int:request_id>/claim/", apis.StaffClaimApi.as_view(), name="staff-requests-claim"),
    path(
        "staff/requests/<int:request_id>/unclaim/",
        apis.StaffUnclaimApi.as_view(),
        name="staff-requests-unclaim",
    ),
    path(
        "staff/requests/<int:request_id>/complete/",
        apis.StaffCompleteApi.as_view(),
        name="staff-requests-complete",
    ),
    path(
        "staff/requests/<int:request_id>/ask-client/",
        apis.StaffAskClientApi.as_view(),
        name="staff-requests-ask",
    ),
    path(
        "staff/requests/<int:request_id>/approve/",
        apis.StaffApproveApi.as_view(),
        name="staff-requests-approve",
    ),
    path(
        "staff/requests/<int:request_id>/reject/", apis.StaffRejectApi.as_view(), name="staff-requests-reject"
    ),
    path(
        "staff/requests/<int:request_id>/comments/",
        apis.StaffCommentsApi.as_view(),
        name="staff-requests-comments",
    ),
]
