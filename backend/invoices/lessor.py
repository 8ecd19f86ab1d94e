"""The lessor (seller on every invoice). Override with a `PORTAL_LESSOR` dict in settings."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

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


def format_nip(nip: str) -> str:
    """Return `123-456-78-90`."""
    if len(nip) != 10 or not nip.isdigit():
        return nip
    return f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"


def format_account(iban: str) -> str:
    """Return a Polish account number grouped in fours: `PL61 1090 1014 0000 0712 1981 2874`."""
    compact = iban.replace(" ", "")
    head, rest = compact[:4], compact[4:]
    return " ".join([head, *(rest[i : i + 4] for i in range(0, len(rest), 4))])
