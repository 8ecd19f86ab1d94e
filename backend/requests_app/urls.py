from django.urls import path

from backend.requests_app import buyout_apis
from backend.requests_app.apis import client, complaint, internal_note, schedule_quote, staff

urlpatterns = [
    path("requests/catalogue/", client.RequestCatalogueApi.as_view(), name="requests-catalogue"),
    path("requests/", client.RequestListCreateApi.as_view(), name="requests"),
    path(
        "requests/schedule-quote/", schedule_quote.ScheduleQuoteApi.as_view(), name="requests-schedule-quote"
    ),
    path("requests/attachments/", client.RequestAttachmentUploadApi.as_view(), name="requests-attachments"),
    path(
        "requests/attachments/<id:attachment_id>/download/",
        client.RequestAttachmentDownloadApi.as_view(),
        name="requests-attachment-download",
    ),
    path("requests/<id:request_id>/", client.RequestDetailApi.as_view(), name="requests-detail"),
    path("requests/<id:request_id>/reply/", client.RequestReplyApi.as_view(), name="requests-reply"),
    path("requests/<id:request_id>/cancel/", client.RequestCancelApi.as_view(), name="requests-cancel"),
    path("requests/<id:request_id>/comments/", client.RequestCommentsApi.as_view(), name="requests-comments"),
    path(
        "requests/<id:request_id>/decision-document/",
        client.RequestDecisionDocumentApi.as_view(),
        name="requests-decision-document",
    ),
    path("staff/tasks/", staff.StaffTaskListApi.as_view(), name="staff-tasks"),
    path(
        "staff/requests/<id:request_id>/",
        staff.StaffRequestDetailApi.as_view(),
        name="staff-requests-detail",
    ),
    path("staff/requests/<id:request_id>/claim/", staff.StaffClaimApi.as_view(), name="staff-requests-claim"),
    path(
        "staff/requests/<id:request_id>/unclaim/",
        staff.StaffUnclaimApi.as_view(),
        name="staff-requests-unclaim",
    ),
    path(
        "staff/requests/<id:request_id>/assign/",
        staff.StaffAssignApi.as_view(),
        name="staff-requests-assign",
    ),
    path(
        "staff/requests/<id:request_id>/complete/",
        staff.StaffCompleteApi.as_view(),
        name="staff-requests-complete",
    ),
    path(
        "staff/requests/<id:request_id>/ask-client/",
        staff.StaffAskClientApi.as_view(),
        name="staff-requests-ask",
    ),
    path(
        "staff/requests/<id:request_id>/approve/",
        staff.StaffApproveApi.as_view(),
        name="staff-requests-approve",
    ),
    path(
        "staff/requests/<id:request_id>/reject/",
        staff.StaffRejectApi.as_view(),
        name="staff-requests-reject",
    ),
    path(
        "staff/requests/<id:request_id>/comments/",
        staff.StaffCommentsApi.as_view(),
        name="staff-requests-comments",
    ),
    # Staff's note for colleagues, never the client's (backend/requests_app/internal_notes.py).
    path(
        "staff/requests/<id:request_id>/notes/",
        internal_note.StaffInternalNoteApi.as_view(),
        name="staff-requests-notes",
    ),
    # Complaints: extend the statutory answer deadline (backend/requests_app/complaints.py).
    path(
        "staff/requests/<id:request_id>/extend-deadline/",
        complaint.StaffExtendDeadlineApi.as_view(),
        name="staff-requests-extend-deadline",
    ),
    # Early termination (buyout): "Złóż wniosek" on a quote, the client's answer, the staff's counter-offer.
    path(
        "contracts/<id:contract_id>/buyout-quotes/<id:quote_id>/request/",
        buyout_apis.BuyoutQuoteRequestApi.as_view(),
        name="contract-buyout-quote-request",
    ),
    path(
        "contracts/<id:contract_id>/buyout-quotes/<id:quote_id>/counter-answer/",
        buyout_apis.BuyoutCounterAnswerApi.as_view(),
        name="contract-buyout-quote-counter-answer",
    ),
    path(
        "staff/requests/<id:request_id>/buyout-counter/",
        buyout_apis.StaffBuyoutCounterApi.as_view(),
        name="staff-requests-buyout-counter",
    ),
]
