"""The one display format of each company identifier: NIP, REGON and the bank account (IBAN).

Every screen, document and API field that shows one of them calls these (templates through the
`nip`, `regon` and `iban` filters of portal_ui's `portal_format`), so they look the same everywhere.
Stored values stay compact (digits only; the IBAN without spaces).
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-]")


def _compact(value: str | None) -> str:
    return _SEPARATORS.sub("", value or "")


def format_nip(value: str | None) -> str:
    """Return `123-456-78-90`; anything that is not 10 digits comes back unchanged."""
    nip = _compact(value)
    if len(nip) != 10 or not nip.isdigit():
        return value or ""
    return f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"


def format_regon(value: str | None) -> str:
    """Return the REGON as its 9 or 14 digits without separators (its official written form)."""
    regon = _compact(value)
    if len(regon) not in {9, 14} or not regon.isdigit():
        return value or ""
    return regon


def format_iban(value: str | None) -> str:
    """Return the account grouped in fours: `PL61 1090 1014 0000 0712 1981 2874`."""
    compact = _compact(value).upper()
    if not compact:
        return ""
    head, rest = compact[:4], compact[4:]
    return " ".join([head, *(rest[i : i + 4] for i in range(0, len(rest), 4))])
