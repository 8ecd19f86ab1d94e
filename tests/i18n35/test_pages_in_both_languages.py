"""Every GET page of the portal, as a client (the demo's full client world), the back office, an analyst
and a visitor, in English and in Polish: no line of the other language (tests/i18n35/crawl.py says what
counts as data and which pages are not the portal's own)."""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from tests.browser.client_world import ClientWorld, build_client_world
from tests.i18n35.crawl import data_strings, leftovers_on, open_as, page_paths
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db
ROLES = {
    "client": None,
    "staff": "bok@leasing.example",
    "analyst": "analityk@leasing.example",
    "visitor": None,
}


def ids_of(world: ClientWorld) -> dict[str, str]:
    """A real object for each path parameter, so a page shows its data, not a 404."""
    request = world.request
    return {
        "request_id": str(request.pk),
        "invoice_id": str(world.invoice.pk),
        "contract_id": str(world.contract.pk),
        "policy_id": str(world.contract.policies.values_list("pk", flat=True).first()),
        "thread_id": str(world.thread.pk),
        "client_id": str(world.client.pk),
        "membership_id": str(world.newcomer.memberships.values_list("pk", flat=True).first()),
        "user_id": str(world.newcomer.pk),
        "instance_id": str(request.process_instance_id),
        "version_id": str(ProcessVersion.objects.values_list("pk", flat=True).first()),
        "process_key": request.process_instance.process_version.process_key,
        "figure": "paid",
        "kind": "payment_date_change",
    }


def user_of(role: str, world: ClientWorld) -> User | None:
    if role == "client":
        return world.user
    return User.objects.get(email=ROLES[role]) if ROLES[role] else None


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_the_other_language(role):
    world = build_client_world()
    user, paths, data = user_of(role, world), page_paths(ids_of(world)), data_strings()
    assert len(paths) > 80

    found = {}
    for language in ("en", "pl"):
        browser = open_as(user, language)
        for path in paths:
            if lines := leftovers_on(browser, path, language, data):
                found[f"{language} {path}"] = lines

    assert found == {}
