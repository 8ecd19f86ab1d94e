"""The demo shows the roles: klient@demo.pl administers its company (with the demo second factor), and a
fleet manager and an accountant of the same company see some of its contracts only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from backend.clients.models import ClientMembership
from backend.contracts.models import Contract
from backend.demo.second_factor import current_demo_code
from backend.demo.vocabulary import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("seed_demo", clients=2, seed=4, stdout=out)
    return out.getvalue()


def test_the_main_demo_login_is_an_administrator_with_the_demo_second_factor(client, seeded):
    # given
    membership = ClientMembership.objects.get(user__email="klient@demo.pl")

    # when
    client.force_login(membership.user)
    users_page = client.get("/client/users/")

    # then
    assert membership.role == ClientMembership.Role.OWNER and membership.is_admin
    assert current_demo_code("klient@demo.pl") is not None  # `manage.py demo_totp klient@demo.pl`
    assert "klient@demo.pl" in seeded
    assert users_page.status_code == 200
    body = users_page.content.decode()
    assert "flota@demo.pl" in body and "ksiegowa@demo.pl" in body


def test_the_fleet_manager_and_the_accountant_see_some_contracts_only(seeded):
    home = ClientMembership.objects.get(user__email="klient@demo.pl").client
    all_contracts = set(Contract.objects.filter(client=home).values_list("pk", flat=True))

    for email, role in (("flota@demo.pl", "fleet_manager"), ("ksiegowa@demo.pl", "accountant")):
        membership = ClientMembership.objects.get(user__email=email)
        contracts = set(membership.contracts.values_list("pk", flat=True))

        assert membership.user.check_password(DEMO_PASSWORD), email
        assert membership.client == home and membership.role == role and not membership.is_admin
        assert not membership.all_contracts and contracts and contracts < all_contracts, email
        assert current_demo_code(email) is None  # not administrators: no second factor required


def test_the_banner_prints_the_role_logins(seeded):
    from portal_ui.management.commands.portal_banner import DEMO_LOGINS

    printed = {email for _, email in DEMO_LOGINS}

    assert {"klient@demo.pl", "flota@demo.pl", "ksiegowa@demo.pl"} <= printed
