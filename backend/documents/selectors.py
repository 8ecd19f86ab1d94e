"""Reads of the client's stored documents.

A document tied to no contract (a balance confirmation, the decision on a company-wide request) is the
company's: every role with the documents area sees it, as with requests and message threads tied to no
contract; a contract's document only for users who may see that contract (access_rules.restrict).
"""

from __future__ import annotations

from django.db.models import QuerySet

from backend.clients.access_rules import restrict
from backend.clients.models import Client
from backend.core.exceptions import NotFound
from backend.documents.models import Document


def _of(client: Client, **filters) -> QuerySet[Document]:
    return restrict(Document.objects.filter(client=client, **filters), client, nullable=True)


def list_documents_for_client(*, client: Client) -> QuerySet[Document]:
    return _of(client).select_related("contract").order_by("-issued_on", "-id")


def get_document_for_client(*, client: Client, document_id: int) -> Document:
    document = _of(client, pk=document_id).first()
    if document is None:
        raise NotFound()
    return document
