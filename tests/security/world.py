"""A small world of two client companies with one of everything each, and every portal role.

Client A and client B get the same objects (contract with item, serial number and policy; a recent and an
archived invoice with a line, a payment, a compensation and a duplicate; a document; a message thread with
an attachment; an open request with an attachment and a decided request with its decision document; a
notice). Requests and threads go through the real API and workflow, as the portal makes them.
Every text of B's objects carries the marker `ZZB` (A's carry `ZZA`), so a leak shows in any response.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from backend.contracts.buyout_services import create_quote
from backend.contracts.models import BuyoutQuote, Contract, InsurancePolicy, LeasedItem
from backend.core.models import OutboxEvent
from backend.documents.models import Document
from backend.documents.uploads import store_bytes
from backend.drafts.models import Draft
from backend.invoices.accounting_exports import start_accounting_export
from backend.invoices.models import AccountingExport, Compensation, Invoice, InvoiceDuplicate, Payment
from backend.messaging.models import MessageAttachment, MessageThread
from backend.requests_app.models import PortalRequest, RequestAttachment
from notifications.models import Notice
from tests.factories import (
    ClientFactory,
    ContractFactory,
    InsurancePolicyFactory,
    InvoiceFactory,
    LeasedItemFactory,
    MembershipFactory,
    PaymentFactory,
    SerialNumberFactory,
    UserFactory,
)
from tests.logged_in_clients import api_client_as
from tests.requests_app.helpers import PDF_BYTES, submission, upload
from workflows.models import Incident, ProcessInstance, ProcessVersion

MARKER_A, MARKER_B = "ZZA", "ZZB"


@dataclass
class ClientWorld:
    """The objects of one client company (ids by model, and the named ones the matrix fills paths with)."""

    client: Client
    user: User
    contract: Contract
    policy: InsurancePolicy
    invoice: Invoice
    duplicate: InvoiceDuplicate
    document: Document
    thread: MessageThread
    message_attachment: MessageAttachment
    request_attachment: RequestAttachment
    spare_attachment: RequestAttachment  # uploaded, not yet on any request
    spare_message_attachment: MessageAttachment  # uploaded, not yet in any message
    open_request: PortalRequest
    decided_request: PortalRequest
    membership: ClientMembership
    instance: ProcessInstance
    notice: Notice
    ids: dict[type[Model], set[int]] = field(default_factory=dict)
    incident: Incident | None = None  # an open incident of the open request's instance (repair console)
    quote: BuyoutQuote | None = None  # an offered buyout quote of the contract
    export: AccountingExport | None = None  # the user's accounting ZIP of the invoice's month

    def object_id(self, path: str, name: str) -> int | None:
        """The id of this client's object that the path parameter (or body field) `name` names, if any."""
        ids = {
            "contract_id": self.contract.pk,
            "policy_id": self.policy.pk,
            "invoice_id": self.invoice.pk,
            "duplicate_id": self.duplicate.pk,
            "document_id": self.document.pk,
            "thread_id": self.thread.pk,
            # A thread goes to staff only: the client's own user must be refused as its assignee.
            "assignee_id": self.user.pk,
            # Who the caller saw holding the thread (a stale view is refused): here the client's own user.
            "expected_assignee_id": self.user.pk,
            "notice_id": self.notice.pk,
            "instance_id": self.instance.pk,
            "incident_id": self.incident.pk if self.incident is not None else None,
            "quote_id": self.quote.pk if self.quote is not None else None,
            "export_id": self.export.pk if self.export is not None else None,
            "membership_id": self.membership.pk,
            "version_id": self.instance.process_version_id,
            "base_version_id": self.instance.process_version_id,
            # The migration dry run's filter: instances running on this version.
            "from_version_id": self.instance.process_version_id,
            "request_id": self.decided_request.pk if "decision-document" in path else self.open_request.pk,
            "attachment_id": (
                self.message_attachment.pk if "/messages/" in path else self.request_attachment.pk
            ),
        }
        return ids.get(name)


@dataclass
class World:
    a: ClientWorld
    b: ClientWorld
    dual: User  # member of A (default, so A is active) and of B
    staff: User
    analyst: User
    admin: User
    version: ProcessVersion  # of B's open request's instance
    # B's users limited to B's second contract (no marker, nothing on it): B's objects are outside their set.
    fleet_manager_b: User | None = None
    accountant_b: User | None = None


def _build_client(marker: str, staff_api: APIClient) -> ClientWorld:
    client = ClientFactory(name=f"{marker} Firma sp. z o.o.")
    user = UserFactory(email=f"{marker.lower()}@firma.pl", first_name="Jan", last_name=marker)
    # The company's administrator: the user pages (/api/client/users/) are in the matrix too.
    membership = MembershipFactory(user=user, client=client, is_admin=True)
    contract = ContractFactory(client=client, number=f"UL/{marker}/000001")
    item = LeasedItemFactory(contract=contract, name=f"{marker} Skoda")
    SerialNumberFactory(item=item, value=f"{marker}VIN0000001")
    policy = InsurancePolicyFactory(contract=contract, number=f"POL-{marker}-1")
    invoice = InvoiceFactory(client=client, contract=contract, number=f"FV/{marker}/0000001")
    archived = InvoiceFactory(
        client=client,
        contract=contract,
        number=f"FV/{marker}/0000002",
        issue_date=timezone.localdate() - timedelta(days=400),
    )
    payment = PaymentFactory(invoice=invoice, amount=Decimal("100.00"), reference=f"{marker} przelew")
    compensation = Compensation.objects.create(
        client=client,
        invoice=archived,
        amount=Decimal("30.00"),
        compensated_on=timezone.localdate(),
        note_number=f"KN/{marker}/1",
    )
    duplicate = InvoiceDuplicate.objects.create(invoice=invoice, requested_by=user)
    document = Document.objects.create(
        client=client,
        contract=contract,
        kind="balance_confirmation",
        title=f"{marker} potwierdzenie salda",
        file=store_bytes(PDF_BYTES, folder="documents", extension="pdf"),
        original_name=f"{marker}.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        issued_on=date(2026, 3, 1),
    )

    api = api_client_as(user)
    response = api.post(
        "/api/messages/",
        {
            "subject": f"{marker} pytanie",
            "category": "other",
            "body": f"{marker} treść",
            "contract_id": contract.pk,
            "attachments": [SimpleUploadedFile(f"{marker}.pdf", PDF_BYTES, content_type="application/pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    thread = MessageThread.objects.get(pk=response.json()["id"])

    requests = []
    for index in range(2):
        # A contract takes one open payment day change at a time: the first is decided before the second.
        if index == 1:
            approved = staff_api.post(f"/api/staff/requests/{requests[0].pk}/approve/", {}, format="json")
            assert approved.status_code == 200, approved.content
        attachment = upload(api, name=f"{marker}.pdf")
        assert attachment.status_code == 201, attachment.content
        body = submission(
            "payment_date_change",
            contract=contract,
            data={"payment_day": 20 if index == 0 else 25, "reason": "cash_flow"},
            attachment_ids=[attachment.json()["id"]],
        )
        submitted = api.post("/api/requests/", body, format="json")
        assert submitted.status_code == 201, submitted.content
        requests.append(PortalRequest.objects.get(pk=submitted.json()["id"]))
    decided_request, open_request = requests
    spare = upload(api, name=f"{marker}-zapas.pdf")
    assert spare.status_code == 201, spare.content
    spare_message = api.post(
        "/api/messages/attachments/",
        {"file": SimpleUploadedFile(f"{marker}-zapas.pdf", PDF_BYTES, content_type="application/pdf")},
        format="multipart",
    )
    assert spare_message.status_code == 201, spare_message.content
    decided_request.refresh_from_db()
    assert decided_request.decision_document_id is not None

    notice = Notice.objects.create(
        recipient=user,
        kind=OutboxEvent.Kind.REQUEST_WAITING_FOR_CLIENT,
        client=client,
        subject_type="requests_app.portalrequest",
        subject_id=open_request.pk,
        payload={"request_id": open_request.pk, "number": f"WN/{marker}/1"},
    )
    # A form draft with the marker (backend/drafts): no other user or client may ever read it.
    Draft.objects.create(
        user=user, client=client, form_key="request:complaint", data={"f": f"{marker} szkic"}
    )
    world = ClientWorld(
        client=client,
        user=user,
        contract=contract,
        policy=policy,
        invoice=invoice,
        duplicate=duplicate,
        document=document,
        thread=thread,
        message_attachment=MessageAttachment.objects.get(message__thread=thread),
        request_attachment=RequestAttachment.objects.filter(request=open_request).get(),
        spare_attachment=RequestAttachment.objects.get(pk=spare.json()["id"]),
        spare_message_attachment=MessageAttachment.objects.get(pk=spare_message.json()["id"]),
        open_request=open_request,
        decided_request=decided_request,
        membership=membership,
        instance=ProcessInstance.objects.get(portal_request=open_request),
        notice=notice,
    )
    world.incident = Incident.objects.create(
        instance=world.instance,
        process_version_id=world.instance.process_version_id,
        action="timer",
        element_id=f"{marker}_service",
        error_class="builtins.RuntimeError",
        message=f"{marker} awaria",
    )
    world.quote = create_quote(
        user=user, client=client, contract=contract, effective_date=timezone.localdate() + timedelta(days=20)
    )
    world.export = start_accounting_export(user=user, client=client, month=invoice.issue_date.replace(day=1))
    # Waiting past its stage's SLA, so the repair console's overdue list has the instance to show.
    ProcessInstance.objects.filter(pk=world.instance.pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    PortalRequest.objects.filter(process_instance=world.instance).update(
        staff_due_at=timezone.now() - timedelta(days=30)  # staff's wait: the stored due time counts
    )
    world.ids = {
        Client: {client.pk},
        Contract: {contract.pk},
        LeasedItem: {item.pk},
        InsurancePolicy: {policy.pk},
        Invoice: {invoice.pk, archived.pk},
        Payment: {payment.pk},
        Compensation: {compensation.pk},
        InvoiceDuplicate: {duplicate.pk},
        Document: set(Document.objects.filter(client=client).values_list("pk", flat=True)),
        MessageThread: {thread.pk},
        MessageAttachment: set(MessageAttachment.objects.filter(client=client).values_list("pk", flat=True)),
        PortalRequest: {open_request.pk, decided_request.pk},
        RequestAttachment: set(RequestAttachment.objects.filter(client=client).values_list("pk", flat=True)),
        ProcessInstance: set(
            ProcessInstance.objects.filter(portal_request__client=client).values_list("pk", flat=True)
        ),
        Notice: {notice.pk},
        Incident: {world.incident.pk},
        BuyoutQuote: {world.quote.pk},
        AccountingExport: {world.export.pk},
        ClientMembership: {membership.pk},
    }
    return world


def _limited_member(client_world: ClientWorld, *, email: str, role: str, contract: Contract) -> User:
    """A user of the company limited to one contract that none of the world's objects belong to."""
    user = UserFactory(email=email, first_name="Ewa", last_name="Ograniczona")
    membership = MembershipFactory(user=user, client=client_world.client, role=role, all_contracts=False)
    membership.contracts.set([contract])
    client_world.ids[ClientMembership].add(membership.pk)
    return user


def build_world() -> World:
    staff = UserFactory(email="bok@leasing.example", role=User.Role.STAFF)
    staff_api = api_client_as(staff)
    a = _build_client(MARKER_A, staff_api)
    b = _build_client(MARKER_B, staff_api)
    dual = UserFactory(email="wspolnik@firma.pl")
    MembershipFactory(user=dual, client=a.client, is_default=True)
    dual_b = MembershipFactory(user=dual, client=b.client, is_default=False)
    b.ids[ClientMembership].add(dual_b.pk)
    second = ContractFactory(client=b.client, number="UL/INNA/000002")
    fleet_manager_b = _limited_member(
        b, email="flota@firma.pl", role=ClientMembership.Role.FLEET_MANAGER, contract=second
    )
    accountant_b = _limited_member(
        b, email="ksiegowa@firma.pl", role=ClientMembership.Role.ACCOUNTANT, contract=second
    )
    return World(
        fleet_manager_b=fleet_manager_b,
        accountant_b=accountant_b,
        a=a,
        b=b,
        dual=dual,
        staff=staff,
        analyst=UserFactory(email="analityk@leasing.example", role=User.Role.ANALYST),
        admin=UserFactory(email="admin@leasing.example", role=User.Role.ADMIN),
        version=b.instance.process_version,
    )
