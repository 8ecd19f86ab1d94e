from django.urls import path

from backend.messaging import apis

urlpatterns = [
    path("messages/", apis.ThreadListCreateApi.as_view(), name="message-threads"),
    path("messages/<id:thread_id>/", apis.ThreadDetailApi.as_view(), name="message-thread"),
    path("messages/<id:thread_id>/comments/", apis.ThreadCommentApi.as_view(), name="message-comment"),
    path("messages/attachments/", apis.MessageAttachmentUploadApi.as_view(), name="message-attachments"),
    path(
        "messages/attachments/<id:attachment_id>/download/",
        apis.AttachmentDownloadApi.as_view(),
        name="message-attachment",
    ),
    path("staff/messages/", apis.StaffInboxApi.as_view(), name="staff-message-inbox"),
    path("staff/messages/<id:thread_id>/", apis.StaffThreadDetailApi.as_view(), name="staff-message-thread"),
    path("staff/messages/<id:thread_id>/reply/", apis.StaffReplyApi.as_view(), name="staff-message-reply"),
    path(
        "staff/messages/<id:thread_id>/final-answer/",
        apis.StaffFinalAnswerApi.as_view(),
        name="staff-message-final-answer",
    ),
    path("staff/messages/<id:thread_id>/assign/", apis.StaffAssignApi.as_view(), name="staff-message-assign"),
    path(
        "staff/messages/<id:thread_id>/notes/",
        apis.StaffInternalNoteApi.as_view(),
        name="staff-message-notes",
    ),
    path(
        "staff/messages/attachments/<id:attachment_id>/download/",
        apis.StaffAttachmentDownloadApi.as_view(),
        name="staff-message-attachment",
    ),
]
