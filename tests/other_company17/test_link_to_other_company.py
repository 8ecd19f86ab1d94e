"""A link to an object of the user's other company offers the switch that opens it; outsiders keep the 404."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.clients.models import ClientMembership
from backend.messaging.client_writes import start_thread
from tests.factories import InvoiceFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import browsing_as
from tests.other_company17.helpers import make_request

pytestmark = pytest.mark.django_db

OFFER = 'data-testid="other-company"'


@pytest.fixture
def partner(client_user, other_company):
    """Anna acts for acme (her default) and is an owner in the other company too."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


def other_company_pages(other_company, other_contract, other_client_user) -> dict[str, tuple[str, str]]:
    """Each page of an object of the other company, with a text of that object the offer must not show."""
    portal_request = make_request(client=other_company, user=other_client_user)
    thread = start_thread(
        user=other_client_user,
        client=other_company,
        subject="Pytanie o ubezpieczenie",
        category="other",
        body="Treść",
        contract=None,
    )
    invoice = InvoiceFactory(client=other_company, contract=other_contract)
    return {
        "request": (reverse("request-page", args=[portal_request.pk]), portal_request.number),
        "message": (reverse("message-page", args=[thread.pk]), thread.subject),
        "contract": (reverse("contract-page", args=[other_contract.pk]), other_contract.number),
        "buyout": (reverse("buyout-page", args=[other_contract.pk]), other_contract.number),
        "invoice": (reverse("invoice-page", args=[invoice.pk]), invoice.number),
    }


@pytest.mark.parametrize("page_name", ["request", "message", "contract", "buyout", "invoice"])
def test_the_page_names_the_company_and_switches_to_it(
    partner, other_company, other_contract, other_client_user, page_name
):
    path, object_text = other_company_pages(other_company, other_contract, other_client_user)[page_name]
    browser = browsing_as(partner)

    # when: acme is active
    offer = browser.get(path)

    # then: the company is named, nothing of the object is shown, one button switches and opens it
    body = offer.content.decode()
    assert offer.status_code == 404
    assert OFFER in body
    assert other_company.name in body
    assert object_text not in body
    assert f'action="{reverse("switch-client")}"' in body
    assert f'name="client_id" value="{other_company.pk}"' in body
    assert f'name="next" value="{path}"' in body

    switched = browser.post(reverse("switch-client"), {"client_id": other_company.pk, "next": path})
    assert switched.status_code == 302 and switched["Location"] == path
    opened = browser.get(path)
    assert opened.status_code == 200
    assert object_text in opened.content.decode()


def test_after_logging_in_from_the_e_mails_link_the_offer_is_there(partner, other_company, other_client_user):
    portal_request = make_request(client=other_company, user=other_client_user)
    path = reverse("request-page", args=[portal_request.pk])
    browser = PageClient()
    browser.force_login(partner)  # the login opens the default company (acme), then ?next= is followed

    assert OFFER in browser.get(path).content.decode()


def test_a_role_refused_in_the_active_company_still_offers_the_company_that_allows_it(
    partner, acme, other_company, other_client_user
):
    ClientMembership.objects.filter(user=partner, client=acme).update(role=ClientMembership.Role.ACCOUNTANT)
    portal_request = make_request(client=other_company, user=other_client_user)

    page = browsing_as(partner).get(reverse("request-page", args=[portal_request.pk]))

    assert OFFER in page.content.decode()


def test_an_outsider_gets_the_plain_404(client_user, other_company, other_client_user):
    portal_request = make_request(client=other_company, user=other_client_user)

    page = browsing_as(client_user).get(reverse("request-page", args=[portal_request.pk]))

    body = page.content.decode()
    assert page.status_code == 404
    assert OFFER not in body and other_company.name not in body


@pytest.mark.parametrize(
    "change",
    [
        {"role": ClientMembership.Role.ACCOUNTANT},  # no requests in the other company
        {"status": ClientMembership.Status.SUSPENDED},
    ],
)
def test_a_role_or_membership_that_does_not_open_it_keeps_the_plain_404(
    partner, other_company, other_client_user, change
):
    ClientMembership.objects.filter(user=partner, client=other_company).update(**change)
    portal_request = make_request(client=other_company, user=other_client_user)

    page = browsing_as(partner).get(reverse("request-page", args=[portal_request.pk]))

    body = page.content.decode()
    assert page.status_code == 404
    assert OFFER not in body and f'name="client_id" value="{other_company.pk}"' not in body


def test_a_contract_outside_the_users_set_there_keeps_the_plain_404(
    partner, other_company, other_contract, other_client_user
):
    membership = ClientMembership.objects.get(user=partner, client=other_company)
    membership.role = ClientMembership.Role.FLEET_MANAGER
    membership.all_contracts = False
    membership.save(update_fields=["role", "all_contracts"])
    portal_request = make_request(client=other_company, user=other_client_user, contract=other_contract)

    page = browsing_as(partner).get(reverse("request-page", args=[portal_request.pk]))

    assert OFFER not in page.content.decode()


def test_an_unknown_id_keeps_the_plain_404(partner):
    page = browsing_as(partner).get(reverse("request-page", args=[987654]))

    assert page.status_code == 404 and OFFER not in page.content.decode()


def test_a_staff_user_is_not_offered_anything(bok_staff, other_company, other_client_user):
    portal_request = make_request(client=other_company, user=other_client_user)

    page = browsing_as(bok_staff).get(reverse("request-page", args=[portal_request.pk]))

    assert OFFER not in page.content.decode()


def test_the_api_keeps_its_404(api_as, partner, other_company, other_client_user):
    portal_request = make_request(client=other_company, user=other_client_user)

    answer = api_as(partner).get(f"/api/requests/{portal_request.pk}/")

    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_no_existence_leak_to_a_stranger(other_company, other_client_user):
    stranger = UserFactory()
    MembershipFactory(user=stranger)
    portal_request = make_request(client=other_company, user=other_client_user)

    page = browsing_as(stranger).get(reverse("request-page", args=[portal_request.pk]))

    assert page.status_code == 404 and other_company.name not in page.content.decode()
