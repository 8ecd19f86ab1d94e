"""The client administrator's invitation refuses the lessor's own addresses by their domain, whether or
not a staff account exists there: the refusal told which staff addresses have accounts (an address at
the lessor's domain with no account was accepted)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", ["bok@leasing.example", "nikt.taki@leasing.example"])
def test_an_address_of_the_lessor_is_refused_whether_or_not_an_account_exists(admin_api, bok_staff, address):
    response = admin_api.post(
        "/api/client/users/",
        {"email": address, "first_name": "X", "last_name": "Y", "role": "owner"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["email"] == ["Tego adresu nie można zaprosić."]
