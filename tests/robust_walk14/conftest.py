"""A thread of ACME's client user (the staff answer it) and an invoice of ACME."""

from __future__ import annotations

import pytest

from backend.messaging.services import start_thread


@pytest.fixture
def thread(client_user, acme, acme_contract):
    return start_thread(
        user=client_user,
        client=acme,
        subject="Korekta adresu na fakturze",
        category="invoices",
        body="Proszę o korektę adresu.",
        contract=acme_contract,
    )
