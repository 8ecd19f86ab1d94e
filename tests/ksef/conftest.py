"""KSeF fixtures: the test factories' NIPs (1000…) break the FA(3) NIP pattern, so ACME gets a real-looking one."""

from __future__ import annotations

import pytest

# The browser journeys are in tests/browser/test_ksef.py, on the one session-wide Chromium of that folder.

ACME_NIP = "5260250274"  # valid check digit; digits 2-3 not "00", as the FA(3) schema's NIP pattern requires


@pytest.fixture
def acme(acme):
    acme.nip = ACME_NIP
    acme.save(update_fields=["nip"])
    return acme
