from __future__ import annotations

import pytest

from backend.contracts.models import BuyoutQuote, Contract
from tests.effects_walk.helpers import buy_out


@pytest.fixture
def bought_out_loan(api_as, client_user, bok_staff, acme_contract) -> BuyoutQuote:
    """A loan's buyout, requested by the client and approved: its VAT is exempt ("zw")."""
    acme_contract.type = Contract.Type.LOAN
    acme_contract.save(update_fields=["type"])
    quote = buy_out(api_as(client_user), api_as(bok_staff), acme_contract)[1]
    assert quote.is_vat_exempt
    return quote
