"""Forms of a user of two companies, shown for ACME and sent after another tab switched to Inna Firma:
nothing is made for either company, the form comes back with what was typed and a message naming both,
and the switch is said before what the other company's role allows (portal_ui/acting_for.py)."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from backend.clients.models import ClientMembership
from backend.drafts.models import Draft
from backend.invoices.models import InvoiceDuplicate
from backend.messaging.models import Message
from backend.requests_app.models import PortalRequest, RequestStatus
from tests.factories import MembershipFactory
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db

ACME = "ACME Logistyka sp. z o.o."
INNA = "Inna Firma S.A."


@pytest.fixture
def partner(client_user, other_company):
    """Anna also acts for Inna Firma (owner there too, unless a test says otherwise)."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


def act_for(client, company) -> None:
    session = client.session
    session[ACTIVE_CLIENT_SESSION_KEY] = company.pk
    session.save()


def says_the_company_changed(html: str) -> None:
    assert "zmieniona (w innej karcie) z ACME Logistyka sp. z o.o. na Inna Firma S.A." in html
    assert "Niczego nie wysłano." in html and f"Aby go wysłać, przełącz się z powrotem na {ACME}." in html


def client_data_form(acme) -> dict:
    return {
        "idempotency_key": "k-data-1",
        "data__registered_street": "ul. Magazynowa 7",
        "data__registered_postal_code": "00-950",
        "data__registered_city": "Warszawa",
        "data__correspondence_street": "ul. Magazynowa 7",
        "data__correspondence_postal_code": "00-950",
        "data__correspondence_city": "Warszawa",
        "data__email": "ksiegowosc@acme.example",
        "data__phone": "+48 22 111 22 33",
        "data__bank_account": "PL61109010140000071219812874",
        "contact__name": "Anna Kowalska",
        "contact__phone": "+48 601 234 567",
        "contact__email": "anna.kowalska@acme.pl",
        "declarations__data_true": "on",
        "declarations__privacy_notice": "on",
        "declarations__authorised": "on",
        "acting_for": acme.pk,
    }


def test_a_client_data_change_typed_for_one_company_is_not_filed_for_the_other(
    client, partner, acme, other_company
):
    # given: the data change form is open for ACME
    client.force_login(partner)
    act_for(client, acme)
    page = client.get("/requests/new/client_data_change/").content.decode()
    assert f'name="acting_for" value="{acme.pk}"' in page
    # and another tab switches to Inna Firma
    act_for(client, other_company)

    response = client.post("/requests/new/client_data_change/", client_data_form(acme))

    assert response.status_code == 409
    html = response.content.decode()
    says_the_company_changed(html)
    # the form again, with what was typed, still bound to ACME (sending it again is refused alike)
    assert 'value="ul. Magazynowa 7"' in html and 'value="ksiegowosc@acme.example"' in html
    assert f'name="acting_for" value="{acme.pk}"' in html
    assert f'name="client_id" value="{acme.pk}"' in html  # "Act for ACME again"
    assert not PortalRequest.objects.exists()
    # the text waits as ACME's draft of the form, offered once the user acts for ACME again
    draft = Draft.objects.get(user=partner, client=acme, form_key="request:client_data_change")
    assert draft.data["data__registered_street"] == "ul. Magazynowa 7"
    assert not Draft.objects.filter(client=other_company).exists()


def test_an_other_request_is_not_sent_for_the_company_switched_to(client, partner, acme, other_company):
    client.force_login(partner)
    act_for(client, other_company)
    form = {
        "idempotency_key": "k-other-1",
        "data__subject": "Zmiana opiekuna",
        "data__message": "Prosimy o nowego opiekuna dla ACME.",
        "contact__name": "Anna Kowalska",
        "contact__phone": "+48 601 234 567",
        "contact__email": "anna.kowalska@acme.pl",
        "declarations__data_true": "on",
        "declarations__privacy_notice": "on",
        "acting_for": acme.pk,
    }
    response = client.post("/requests/new/other_request/", form)
    assert response.status_code == 409
    html = response.content.decode()
    assert ACME in html and INNA in html
    assert "Prosimy o nowego opiekuna dla ACME.</textarea>" in html
    assert not PortalRequest.objects.exists()


def test_a_contract_request_names_the_switch_not_the_contract(
    client, partner, acme, other_company, acme_contract
):
    client.force_login(partner)
    act_for(client, other_company)
    form = {"idempotency_key": "k-pay-1", "contract_id": acme_contract.pk, "data__payment_day": "15",
            "data__reason": "cash_flow", "acting_for": acme.pk}  # fmt: skip
    html = client.post("/requests/new/payment_date_change/", form).content.decode()
    says_the_company_changed(html)
    assert not PortalRequest.objects.exists()


def test_a_permit_request_is_not_sent_for_the_company_switched_to(client, partner, acme, other_company):
    client.force_login(partner)
    act_for(client, other_company)
    form = {"idempotency_key": "k-permit-1", "data__countries": ["DE", "CZ"], "acting_for": acme.pk}
    response = client.post("/requests/new/vehicle_abroad_permit/", form)
    assert response.status_code == 409
    assert ACME in response.content.decode()
    assert not PortalRequest.objects.exists()


def test_a_reply_to_a_request_of_the_first_company_says_so_and_keeps_the_text(
    client, partner, acme, other_company
):
    portal_request = submit_other_request(partner, acme)
    client.force_login(partner)
    act_for(client, other_company)
    response = client.post(
        f"/requests/{portal_request.pk}/comment/", {"message": "Dosyłam skan umowy.", "acting_for": acme.pk}
    )
    assert response.status_code == 409  # not the 404 of another company's request
    html = response.content.decode()
    says_the_company_changed(html)
    assert "Dosyłam skan umowy.</textarea>" in html
    assert escape(f"/requests/{portal_request.pk}/?comment=1") in html
    assert not portal_request.events.filter(kind__icontains="comment").exists()
    draft = Draft.objects.get(user=partner, client=acme, form_key=f"request:comment:{portal_request.pk}")
    assert draft.data == {"message": "Dosyłam skan umowy."}


def test_withdrawing_a_request_after_the_switch_withdraws_nothing(client, partner, acme, other_company):
    portal_request = submit_other_request(partner, acme)
    client.force_login(partner)
    act_for(client, other_company)
    response = client.post(f"/requests/{portal_request.pk}/cancel/", {"acting_for": acme.pk})
    assert response.status_code == 409
    portal_request.refresh_from_db()
    assert portal_request.status != RequestStatus.CANCELLED


def test_a_message_sent_after_the_switch_keeps_its_text_for_the_first_company(
    client, partner, acme, other_company
):
    client.force_login(partner)
    act_for(client, other_company)
    form = {"subject": "Pytanie", "category": "other", "body": "Treść dla ACME", "acting_for": acme.pk}
    response = client.post("/messages/new/", form)
    assert response.status_code == 409
    html = response.content.decode()
    says_the_company_changed(html)
    assert "Treść dla ACME</textarea>" in html
    assert f'name="acting_for" value="{acme.pk}"' in html  # sent again as it is: refused again
    assert not Message.objects.exists()


def test_the_switch_is_said_before_the_other_company_s_role_refuses_the_form(
    client, partner, acme, other_company
):
    # Anna is only the accountant of Inna Firma: she may not send requests there
    ClientMembership.objects.filter(user=partner, client=other_company).update(
        role=ClientMembership.Role.ACCOUNTANT
    )
    client.force_login(partner)
    act_for(client, other_company)
    form = client_data_form(acme)
    response = client.post("/requests/new/client_data_change/", form)
    assert response.status_code == 409
    html = response.content.decode()
    says_the_company_changed(html)
    assert "nie daje dostępu" not in html
    assert f'name="client_id" value="{acme.pk}"' in html
    assert not PortalRequest.objects.exists()
    assert Draft.objects.filter(client=acme, form_key="request:client_data_change").exists()


def test_a_duplicate_of_the_first_company_s_invoice_is_not_ordered_after_the_switch(
    client, partner, acme, other_company, acme_contract
):
    from tests.factories import InvoiceFactory

    invoice = InvoiceFactory(client=acme, contract=acme_contract)
    client.force_login(partner)
    act_for(client, other_company)
    response = client.post(f"/invoices/{invoice.pk}/duplicate/", {"acting_for": acme.pk})
    assert response.status_code == 409
    assert ACME in response.content.decode()
    assert not InvoiceDuplicate.objects.exists()


def test_the_same_form_for_the_active_company_is_sent(client, partner, acme):
    client.force_login(partner)
    act_for(client, acme)
    response = client.post("/requests/new/client_data_change/", client_data_form(acme))
    assert response.status_code == 302
    assert PortalRequest.objects.get().client == acme
