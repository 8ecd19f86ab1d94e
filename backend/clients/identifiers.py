"""Make valid Polish identifiers from a number: for demo data and tests (never for real clients)."""

from __future__ import annotations

from stdnum import iban
from stdnum.pl import nip, regon


def make_nip(seed: int) -> str:
    """Return a valid 10-digit NIP derived from `seed` (tax office prefix 1xx..9xx)."""
    base = 100_000_000 + (seed * 7919) % 899_999_999
    while True:
        stem = f"{base:09d}"
        for digit in range(10):
            if nip.is_valid(stem + str(digit)):
                return stem + str(digit)
        base += 1


def make_regon(seed: int) -> str:
    stem = f"{(10_000_000 + seed * 104_729) % 100_000_000:08d}"
    return stem + regon.calc_check_digit(stem)


def make_iban(seed: int, bank_code: str = "10901014") -> str:
    """Return a valid Polish IBAN (compact) for the given bank sort code."""
    bban = bank_code + f"{seed:016d}"[-16:]
    return "PL" + iban.calc_check_digits("PL00" + bban) + bban
