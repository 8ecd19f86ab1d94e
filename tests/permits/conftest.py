"""A leasing contract of a vehicle that may go abroad: VIN, EU/EEA insurance (the permit's rules pass)."""

from __future__ import annotations

import pytest

from tests.factories import ContractFactory, InsurancePolicyFactory, LeasedItemFactory, SerialNumberFactory


@pytest.fixture
def vehicle_contract(acme):
    contract = ContractFactory(client=acme)
    item = LeasedItemFactory(contract=contract, name="Skoda Octavia 2.0 TDI")
    SerialNumberFactory(item=item, kind="VIN", value="TMBJJ7NE0L0000001")
    InsurancePolicyFactory(contract=contract, territorial_scope="eu_eea")
    return contract
