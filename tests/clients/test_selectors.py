import pytest

from backend.clients.selectors import list_clients_for_user
from tests.factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_user_sees_only_the_clients_they_are_a_member_of(client_user, acme, other_company):
    second = ClientFactory(name="Beta")
    MembershipFactory(user=client_user, client=second, is_default=False)
    assert list(list_clients_for_user(user=client_user)) == [acme, second]
    # (acting for one of them: set_active_client, tests/clients/test_active_client.py)
