"""The lessor: the company on every invoice, annex, decision letter and buyout quote, and the account its
clients pay to. Override with a `PORTAL_LESSOR` dict in settings. In core because documents of every
layer name it (contracts: the buyout quote; invoices; requests_app: decisions)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from backend.core.identifiers import format_iban as format_account
from backend.core.identifiers import format_nip

__all__ = ["DEFAULT_LESSOR", "Lessor", "format_account", "format_nip", "get_lessor"]

DEFAULT_LESSOR = {
    "name": "Portal Leasing Polska S.A.",
    "nip": "7595724019",
    "street": "ul. Puławska 15",
    "postal_code": "02-515",
    "city": "Warszawa",
    "bank_name": "Bank Przykładowy S.A.",
    "bank_account": "PL36109010140000000000424242",
    "email": "bok@leasing.example",
    "phone": "+48 22 100 20 30",
}


@dataclass(frozen=True)
class Lessor:
    name: str
    nip: str
    street: str
    postal_code: str
    city: str
    bank_name: str
    bank_account: str
    email: str
    phone: str


def get_lessor() -> Lessor:
    return Lessor(**{**DEFAULT_LESSOR, **getattr(settings, "PORTAL_LESSOR", {})})
