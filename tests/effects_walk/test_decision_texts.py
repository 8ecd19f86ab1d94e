"""What decisions say: a client data change by its fields' labels, old → new; a schedule change's annex in
the portal's number format and worded for the contract's type (a loan has a loan period and no final
value, nor a field for one); a payment day change keeps the day it changed from on the request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.contracts.models import Contract
from tests.effects_walk.helpers import approve, decision_text, page_text, submit
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_the_client_data_decision_names_fields_with_old_and_new_values(api_as, client_user, bok_staff, acme):
    acme.email, acme.bank_account = "biuro@acme.pl", "PL61109010140000071219812874"
    acme.save()
    submitted = (
        api_as(client_user)
        .post(
            "/api/requests/",
            {
                "kind": "client_data_change",
                "contact": {"name": "Anna", "phone": "601234567", "email": "anna@acme.pl"},
                "declarations": {"data_true": True, "privacy_notice": True, "authorised": True},
                "data": {"email": "ksiegowosc@acme.pl", "bank_account": "PL27 1140 2004 0000 3002 0135 5387"},
            },
            format="json",
        )
        .json()
    )

    approve(api_as(bok_staff), submitted["id"])

    text = decision_text(submitted["id"])
    assert "E-mail: biuro@acme.pl → ksiegowosc@acme.pl." in text
    assert "PL61 1090 1014 0000 0712 1981 2874 → PL27 1140 2004 0000 3002 0135 5387." in text
    assert "bank_account" not in text and "email," not in text


def test_a_lease_schedule_annex_formats_its_figures(api_as, client_user, bok_staff, acme_contract):
    submitted = submit(
        api_as(client_user),
        "schedule_change",
        acme_contract,
        {"months": 42, "residual_percent": "15", "installment_option": "auto"},
    ).json()

    approve(api_as(bok_staff), submitted["id"])

    text = decision_text(submitted["id"])
    assert "Okres leasingu: 42 mies. (dotychczas: 36 mies.)" in text
    assert "Wartość końcowa: 15,00% (18\u00a0000,00\u00a0zł) (dotychczas: 10,00%)." in text
    assert "15.00%" not in text


@pytest.fixture
def loan(acme):
    return ContractFactory(
        client=acme, number="PZ/2025/01000001", type=Contract.Type.LOAN, residual_percent=Decimal("0")
    )


def test_a_loan_schedule_annex_speaks_of_a_loan_without_a_final_value(api_as, client_user, bok_staff, loan):
    submitted = submit(
        api_as(client_user), "schedule_change", loan, {"months": 30, "installment_option": "auto"}
    )
    assert submitted.status_code == 201, submitted.json()

    approve(api_as(bok_staff), submitted.json()["id"])

    text = decision_text(submitted.json()["id"])
    assert "Okres pożyczki: 30 mies. (dotychczas: 36 mies.)" in text
    assert "Okres leasingu" not in text
    assert "Wartość końcowa" not in text


def test_a_loan_takes_no_final_value(api_as, client_user, loan):
    response = submit(
        api_as(client_user), "schedule_change", loan, {"residual_percent": "0", "installment_option": "auto"}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["data.residual_percent"] == [
        "Pożyczka nie ma wartości końcowej: pomiń to pole."
    ]
    # and the form hides the field while a loan is chosen
    page = PageClient()
    page.force_login(client_user)
    html = page.get(reverse("request-new-kind", args=["schedule_change"]) + f"?contract={loan.pk}").content
    assert b'<div id="residual-field" data-hide-for-type="loan" hidden>' in html
    assert b'data-contract-type="loan"' in html


def test_a_decided_payment_day_change_still_shows_the_day_it_changed_from(
    api_as, client_user, bok_staff, acme_contract
):
    submitted = submit(
        api_as(client_user), "payment_date_change", acme_contract, {"payment_day": 20, "reason": "cash_flow"}
    ).json()
    client_page, staff_page = PageClient(), PageClient()
    client_page.force_login(client_user)
    staff_page.force_login(bok_staff)
    client_url = reverse("request-page", args=[submitted["id"]])
    assert "Obecny dzień płatności 10" in page_text(client_page, client_url)

    approve(api_as(bok_staff), submitted["id"])

    assert Contract.objects.get(pk=acme_contract.pk).payment_day == 20
    for page, url in (
        (client_page, client_url),
        (staff_page, reverse("staff-task-page", args=[submitted["id"]])),
    ):
        text = page_text(page, url)
        assert "Dotychczasowy dzień płatności 10" in text
        assert "Nowy dzień płatności 20" in text
