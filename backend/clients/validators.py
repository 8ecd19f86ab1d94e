"""Checksum validation of Polish identifiers, delegated to python-stdnum."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
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


@deconstructible
class CodeListValidator:
    """A JSON list of distinct known codes (a membership's extra rights): anything else stored there would
    reach every access check of that user (access_rules.can)."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = list(codes)

    def __call__(self, value: object) -> None:
        if not isinstance(value, list) or not all(
            isinstance(code, str) and code in self.codes for code in value
        ):
            raise ValidationError(
                _("Enter a list of these codes: %(codes)s.") % {"codes": ", ".join(self.codes)}, code="codes"
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodeListValidator) and other.codes == self.codes


def compact_nip(value: str) -> str:
    return nip.compact(value)


def compact_regon(value: str) -> str:
    return regon.compact(value)


def compact_iban(value: str) -> str:
    return iban.compact(value)


def format_iban(value: str) -> str:
    return iban.format(value)
