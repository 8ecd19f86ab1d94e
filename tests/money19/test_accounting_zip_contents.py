"""Finding 5: the month ZIP's summary has each invoice's paid and remaining amounts, status and contract, and
the package holds the month's compensation notes (KP) the user sees on the documents page."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from backend.documents.models import Document
from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory
from tests.volume16.zip_helpers import fetch_accounting_zip

pytestmark = pytest.mark.django_db


def _note(client, contract, *, number: str, on) -> Document:
    document = Document(
        client=client,
        contract=contract,
        kind=Document.Kind.COMPENSATION_NOTE,
        title=f"Nota kompensacyjna {number}",
        original_name=f"nota_{number.replace('/', '_')}.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        issued_on=on,
    )
    document.file.save("nota.pdf", ContentFile(b"%PDF-KP " + number.encode()), save=False)
    document.save()
    return document


def test_the_package_has_status_columns_and_the_months_notes(acme, client_user):
    own = ContractFactory(client=acme, number="UL/2026/500001")
    other = ContractFactory(client=acme, number="UL/2026/500002")
    month = timezone.localdate().replace(day=1)
    InvoiceFactory(
        client=acme, contract=own, number="FV/K/1", issue_date=month, paid_amount=Decimal("1230.00")
    )
    InvoiceFactory(client=acme, contract=other, number="FV/K/2", issue_date=month)
    _note(acme, own, number="KP/1", on=month)
    _note(acme, other, number="KP/2", on=month)
    _note(acme, own, number="KP/OLD", on=month - timedelta(days=1))  # last month's: not in this package
    accountant = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant", all_contracts=False
    )
    accountant.contracts.set([own])

    def package(user) -> zipfile.ZipFile:
        api = APIClient()
        api.force_login(user)
        response = fetch_accounting_zip(api, {"month": f"{month:%Y-%m}"})
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    owners = package(client_user)
    rows = list(
        csv.reader(
            io.StringIO(owners.read(f"zestawienie_{month:%Y-%m}.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][9:] == ["Zapłacono", "Pozostało", "Status", "Umowa"]
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["FV/K/1"][9:] == ["1230,00", "0,00", "Zapłacona", "UL/2026/500001"]
    assert by_number["FV/K/2"][12] == "UL/2026/500002"
    assert {"nota_KP_1.pdf", "nota_KP_2.pdf"} <= set(owners.namelist())
    assert "nota_KP_OLD.pdf" not in owners.namelist()
    assert owners.read("nota_KP_1.pdf") == b"%PDF-KP KP/1"

    accountants = package(accountant.user)
    assert "nota_KP_1.pdf" in accountants.namelist()
    assert "nota_KP_2.pdf" not in accountants.namelist()  # a contract she does not see
