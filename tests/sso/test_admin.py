import pytest

from backend.accounts.models import User
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "path",
    [
        "/admin/sso/bankcustomerlink/",
        "/admin/sso/usedassertion/",
        "/admin/notifications/notice/",
        "/admin/notifications/delivery/",
    ],
)
def test_admin_lists_open(client, db, path):
    # given
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)

    # when
    response = client.get(path)

    # then
    assert response.status_code == 200
