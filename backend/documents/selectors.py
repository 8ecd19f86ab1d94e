"""Reads of the client's stored documents.

A document tied to no contract (the decision on a company-wide request) is the company's: every role
with the documents area sees it, as with requests and message threads tied to no contract; a contract's
document only for users who may see that contract (access_rules.restrict). A company-wide balance
confirmation asks the company to confirm the balance of every contract: only a user who sees every
contract can check it, so a limited user (an accountant of some contracts) neither lists nor downloads it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from backend.clients.access_rules import Area, can, contract_ids_of, membership_of, restrict
from backend.clients.models import Client
from backend.core.exceptions import NotFound
from backend.documents.models import Document


def _of(client: Client, **filters) -> QuerySet[Document]:
    documents = restrict(Document.objects.filter(client=client, **filters), client, nullable=True)
    if contract_ids_of(client) is not None:
        # Limited: not the company-wide balance it cannot check, nor the decision letters of requests tied
        # to no contract (the owner's company-wide matters; a member's own one keeps its letter on the
        # request's page, where access_rules.object_visible decides).
        documents = documents.exclude(
            kind__in=[Document.Kind.BALANCE_CONFIRMATION, Document.Kind.DECISION], contract__isnull=True
        )
    return _decisions_with_requests_area(documents, client)


def _decisions_with_requests_area(documents: QuerySet[Document], client: Client) -> QuerySet[Document]:
    """A decision letter answers a request: only a role with the requests area gets it, here as at
    /api/requests/{id}/decision-document/ (an accountant without it neither lists nor downloads it)."""
    if can(membership_of(client), Area.REQUESTS):
        return documents
    return documents.exclude(kind=Document.Kind.DECISION)


def list_documents_for_client(*, client: Client) -> QuerySet[Document]:
    return _of(client).select_related("contract").order_by("-issued_on", "-id")


def get_document_for_client(*, client: Client, document_id: int) -> Document:
    document = _of(client, pk=document_id).first()
    if document is None:
        raise NotFound()
    return document
