"""The Django admin at 1280 px: the user page (with its companies) and the long lists fit the window,
no column hidden behind an inner scroll."""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from backend.clients.models import ClientMembership
from backend.core.services import record_audit
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_user() -> User:
    return UserFactory(
        email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True, language="pl"
    )


def _widths(page, path: str) -> tuple[int, int]:
    page.goto(path)
    page.screenshot(path=f"/tmp/admin17{path.replace('/', '_')}.png", full_page=True)
    return page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " Math.max(0, ...[...document.querySelectorAll('#changelist .results, .inline-group')]"
        ".map(e => e.scrollWidth - e.clientWidth))]"
    )


def test_the_admin_fits_1280_px(page, login, admin_user):
    client_user = UserFactory(
        email="bardzo.dluga.nazwa.uzytkownika@przedsiebiorstwo-wielobranzowe.example",
        first_name="Małgorzata-Aleksandra",
        last_name="Brzęczyszczykiewicz-Konstantynopolitańczykowianeczka",
        role=User.Role.CLIENT,
    )
    for n in range(3):
        company = ClientFactory(name=f"Przedsiębiorstwo Handlowo-Usługowe i Produkcyjne Spółka Akcyjna {n}")
        ClientMembership.objects.create(user=client_user, client=company, is_admin=True)
    record_audit(action="user_access_changed", user=admin_user, username=client_user.email, success=True)
    login(page, admin_user)
    measured = {}

    for path in [
        f"/admin/accounts/user/{client_user.pk}/change/",
        "/admin/accounts/user/",
        "/admin/core/auditlog/",
        "/admin/clients/client/",
    ]:
        measured[path] = _widths(page, path)

    assert {path: sizes for path, sizes in measured.items() if sizes[0] > 1280 or sizes[1] > 0} == {}
