"""Checksum validation of Polish identifiers, delegated to python-stdnum."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, regon


def validate_nip(value: str) -> None:
    try:
        compact = nip.validate(value)
        # A NIP starts with a tax office code (101-999); the checksum alone accepts 0000000000.
        if compact.startswith("0"):
            raise nip.InvalidComponent()
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid NIP (10 digits with a correct checksum)."), code="nip"
        ) from exc


def validate_regon(value: str) -> None:
    try:
        regon.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid REGON (9 or 14 digits with a correct checksum)."), code="regon"
        ) from exc


def validate_polish_iban(value: str) -> None:
    try:
        compact = iban.validate(value)
    except StdnumError as exc:
        raise ValidationError(_("Enter a valid bank account number (IBAN)."), code="iban") from exc
    if not compact.startswith("PL"):
        raise ValidationError(_("Enter a Polish bank account number (PL + 26 digits)."), code="iban_country")


def validate_krs(value: str) -> None:
    if value and (not value.isdigit() or len(value) != 10):
        raise ValidationError(_("KRS is 10 digits."), code="krs")


def compact_nip(value: str) -> str:
    return nip.compact(value)


def compact_regon(value: str) -> str:
    return regon.compact(value)


def compact_iban(value: str) -> str:
    return iban.compact(value)


def format_iban(value: str) -> str:
    return iban.format(value)
