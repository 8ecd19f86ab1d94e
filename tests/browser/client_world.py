"""A realistic client world for whole-screen browser checks (accessibility, layout): the demo data set.

The demo seeder gives the printed demo login long document numbers, several contracts, paid, part-paid
and overdue invoices, compensation notes, documents and message threads: what a real client sees, and
what broke the layout in issue #15. A request is added through the page, as a client sends one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client as DjangoClient

from backend.accounts.activation import activation_url
from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.demo.seed import seed_demo
from backend.demo.vocabulary import DEMO_PASSWORD
from backend.invoices.models import Compensation, Invoice
from backend.messaging.models import MessageThread
from backend.requests_app.models import PortalRequest
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory, UserFactory
from tests.portal_ui.test_request_pages import payment_day_form


@dataclass
class ClientWorld:
    user: User
    client: Client
    invoice: Invoice
    contract: Contract
    thread: MessageThread
    request: PortalRequest
    newcomer: User

    def log_in(self, page) -> None:
        log_in(page, self.user, DEMO_PASSWORD)

    def client_pages(self) -> dict[str, str]:
        """Every page of a logged-in client, by name."""
        return {
            "home": "/",
            "invoices": "/invoices/",
            "invoice detail": f"/invoices/{self.invoice.pk}/",
            "archive": "/archive/",
            "settlements": "/settlements/",
            "settlement rows": "/settlements/paid/",
            "contracts": "/contracts/",
            "contract detail": f"/contracts/{self.contract.pk}/",
            "policies": "/policies/",
            "documents": "/documents/",
            "messages": "/messages/",
            "message thread": f"/messages/{self.thread.pk}/",
            "new message": "/messages/new/",
            "requests": "/requests/",
            "request detail": f"/requests/{self.request.pk}/",
            "new request, step 1": "/requests/new/",
            "new request, step 2": "/requests/new/payment_date_change/",
            "account": "/account/",
            "client data": "/client-data/",
            "help": "/help/",
        }

    def public_pages(self) -> dict[str, str]:
        """Pages before logging in: login, forgot password and a new client's activation."""
        path = "/" + activation_url(self.newcomer).split("://", 1)[1].split("/", 1)[1]
        return {"login": "/login/", "forgot password": "/password-reset/", "activation": path}


def build_client_world() -> ClientWorld:
    seed_demo(clients=2, seed=1)
    user = User.objects.get(email="klient@demo.pl")
    client = user.memberships.get(is_default=True).client
    # The invoice with a payment or compensation and a contract: the detail page's tables all show.
    invoice = (
        Invoice.objects.filter(client=client, compensations__isnull=False).order_by("-issue_date").first()
        or Invoice.objects.filter(client=client).order_by("-issue_date").first()
    )
    contract = (
        Contract.objects.filter(client=client, status=Contract.Status.ACTIVE).order_by("number").first()
    )
    thread = MessageThread.objects.filter(client=client, status=MessageThread.Status.CLOSED).first()
    django_client = DjangoClient()
    django_client.force_login(user)
    # A day other than the contract's own: the demo's data follows today's date, and so does which contract
    # comes first (on 1.12.2026 it already paid on the 20th, and the form refuses an unchanged day).
    new_day = "25" if contract.payment_day == 20 else "20"
    form = payment_day_form(contract, data__payment_day=new_day)
    response = django_client.post("/requests/new/payment_date_change/", form)
    assert response.status_code == 302, response.content[:500]
    newcomer = UserFactory(email="nowy.klient@example.pl")
    newcomer.set_unusable_password()
    newcomer.save()
    # Invited by the company (an activation without any membership is a withdrawn invitation: 410).
    MembershipFactory(user=newcomer, client=client)
    assert Compensation.objects.filter(client=client).exists()
    return ClientWorld(
        user=user,
        client=client,
        invoice=invoice,
        contract=contract,
        thread=thread,
        request=PortalRequest.objects.get(client=client),
        newcomer=newcomer,
    )
