"""Exports follow the contract set: the monthly accounting ZIP and schedule files of a limited accountant."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory
from tests.volume16.zip_helpers import fetch_accounting_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(acme):
    own = ContractFactory(client=acme, number="UL/2026/300001")
    other = ContractFactory(client=acme, number="UL/2026/300002")
    today = timezone.localdate()
    own_invoice = InvoiceFactory(client=acme, contract=own, number="FV/2026/OWN01", issue_date=today)
    other_invoice = InvoiceFactory(client=acme, contract=other, number="FV/2026/OTHER1", issue_date=today)
    membership = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant", all_contracts=False
    )
    membership.contracts.set([own])
    api = APIClient()
    api.force_login(membership.user)
    return api, own, other, own_invoice, other_invoice, today


def test_the_accounting_zip_holds_only_invoices_of_the_accountants_contracts(setup):
    api, _own, _other, own_invoice, other_invoice, today = setup

    response = fetch_accounting_zip(api, {"month": f"{today:%Y-%m}"})

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = " ".join(archive.namelist())
    summary = next(
        archive.read(name).decode("utf-8-sig") for name in archive.namelist() if name.endswith(".csv")
    )
    assert own_invoice.number.replace("/", "_") in names or own_invoice.number in summary
    assert own_invoice.number in summary
    assert other_invoice.number not in summary
    assert other_invoice.number.replace("/", "_") not in names


def test_schedule_files_of_a_contract_outside_the_set_are_not_found(setup):
    api, own, other, *_rest = setup

    for fmt in ("pdf", "xlsx", "csv"):
        assert api.get(f"/api/contracts/{own.pk}/schedule/{fmt}/").status_code == 200, fmt
        foreign = api.get(f"/api/contracts/{other.pk}/schedule/{fmt}/")
        assert foreign.status_code == 404, fmt
        assert set(foreign.json()) == {"code", "message", "fields"}
