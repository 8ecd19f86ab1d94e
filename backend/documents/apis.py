"""The client's documents: list with filters and a download that checks ownership."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.core.exceptions import NotFound
from backend.core.file_downloads import FileDownloadApi
from backend.core.permissions import IsClientUser
from backend.documents.downloads import (
    STORED_FILE_TYPES,
    document_filename,
    stored_file_response,
    stored_file_responses,
)
from backend.documents.filters import DocumentFilter
from backend.documents.models import Document
from backend.documents.selectors import get_document_for_client, list_documents_for_client


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    contract_number = serializers.CharField(
        source="contract.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "issued_on",
            "contract_id",
            "contract_number",
            "original_name",
            "content_type",
            "size",
        ]


class DocumentListApi(generics.ListAPIView):
    """The client's documents, newest first: its contracts' (those the user may see) and the company's."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.DOCUMENTS
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        return list_documents_for_client(client=self.request.active_client)


class DocumentDownloadApi(FileDownloadApi):
    file_media_types = STORED_FILE_TYPES
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.DOCUMENTS

    @extend_schema(responses=stored_file_responses(_("The file")))
    def get(self, request, document_id: int):
        document = get_document_for_client(client=request.active_client, document_id=document_id)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound() from exc
        return stored_file_response(
            handle,
            filename=document_filename(document),  # a generated one in the downloader's language
            content_type=document.content_type,
        )
