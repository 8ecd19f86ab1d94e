"""The audit log's "Dotyczy" column: an administrator's change of their own account names it, and a repair
of a request's process names the request's number (also found by the list's search)."""

from __future__ import annotations

import pytest

from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.core.services import record_audit
from tests.factories import UserFactory
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = pytest.mark.django_db

LIST = "/admin/core/auditlog/"


@pytest.fixture
def superuser() -> User:
    return UserFactory(email="szef@leasing.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


def _row(page: str, entry_pk: int) -> str:
    row = page[page.index(f"{LIST}{entry_pk}/change/") :]
    return row[: row.index("</tr>")]


def test_a_change_of_ones_own_account_names_it_as_the_subject(client, superuser):
    own = record_audit(
        action=AuditAction.USER_ACCESS_CHANGED,
        user=superuser,
        username=superuser.email,
        after={"role": "staff"},
    )
    login = record_audit(action=AuditAction.LOGIN, user=superuser)
    client.force_login(superuser)

    page = client.get(LIST).content.decode()

    assert _row(page, own.pk).count("szef@leasing.example") == 2  # performed by and concerns
    assert _row(page, login.pk).count("szef@leasing.example") == 1  # a login concerns no one else


def test_a_repair_names_the_request_number_and_is_found_by_it(client, superuser, analyst, client_user, acme):
    portal_request = submit_request(client_user, acme)
    client.force_login(analyst)
    client.post(
        f"/ops/instances/{portal_request.process_instance_id}/suspend/",
        {"note": "Awaria systemu KSeF", "confirmed": "yes"},
    )
    client.force_login(superuser)

    found = client.get(LIST, {"q": portal_request.number}).content.decode()

    assert "Naprawa: wstrzymanie" in found or "Naprawa" in found
    row = found[found.index('class="field-subject"') :][:200]
    assert portal_request.number in row
