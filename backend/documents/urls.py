from django.urls import path

from backend.documents import apis

urlpatterns = [
    path("documents/", apis.DocumentListApi.as_view(), name="document-list"),
    path(
        "documents/<id:document_id>/download/", apis.DocumentDownloadApi.as_view(), name="document-download"
    ),
]
