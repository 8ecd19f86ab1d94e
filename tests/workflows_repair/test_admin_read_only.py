"""Instances, versions and the audit log are read-only in the admin site, even for a superuser."""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from backend.core.models import AuditLog
from backend.core.services import record_audit
from tests.factories import UserFactory
from tests.requests_app.helpers import submission
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser() -> User:
    return UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)


def test_no_add_change_or_delete_in_the_admin(client, superuser, api_as, client_user, acme_contract):
    # given an instance (and its version) and an audit row
    response = api_as(client_user).post(
        "/api/requests/",
        submission(
            "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
        ),
        format="json",
    )
    assert response.status_code == 201
    instance = ProcessInstance.objects.get()
    audit = record_audit(action="workflow.repair.suspend", user=superuser)
    client.force_login(superuser)
    objects = {
        "workflows/processinstance": instance.pk,
        "workflows/processversion": instance.process_version_id,
        "core/auditlog": audit.pk,
    }

    for model, pk in objects.items():
        # the list opens without an "Add" link; adding and deleting are refused
        listing = client.get(f"/admin/{model}/")
        assert listing.status_code == 200, model
        assert f"/admin/{model}/add/" not in listing.content.decode(), model
        assert client.get(f"/admin/{model}/add/").status_code == 403, model
        assert client.post(f"/admin/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403, model
        # the detail page shows the row without a save button
        detail = client.get(f"/admin/{model}/{pk}/change/")
        assert detail.status_code == 200, model
        assert 'name="_save"' not in detail.content.decode(), model

    assert ProcessInstance.objects.filter(pk=instance.pk).exists()
    assert AuditLog.objects.filter(pk=audit.pk).exists()
