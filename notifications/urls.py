from django.urls import path

from notifications import apis

urlpatterns = [
    path("notices/", apis.NoticeListApi.as_view(), name="notice-list"),
    path("notices/unread-count/", apis.NoticeUnreadCountApi.as_view(), name="notice-unread-count"),
    path("notices/read-all/", apis.NoticeMarkAllReadApi.as_view(), name="notice-read-all"),
    path("notices/<id:notice_id>/read/", apis.NoticeMarkReadApi.as_view(), name="notice-read"),
]
