"""Reads of the client's stored documents."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.clients.access_rules import restrict
from backend.clients.models import Client
from backend.core.exceptions import NotFound
from backend.documents.models import Document


def list_documents_for_client(*, client: Client) -> QuerySet[Document]:
    documents = restrict(Document.objects.filter(client=client), client)
    return documents.select_related("contract").order_by("-issued_on", "-id")


def get_document_for_client(*, client: Client, document_id: int) -> Document:
    document = restrict(Document.objects.filter(client=client, pk=document_id), client).first()
    if document is None:
        raise NotFound()
    return document
