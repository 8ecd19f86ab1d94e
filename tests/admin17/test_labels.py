"""The admin names what it lists: every e-mail template of a delivery, the newest delivery first, and
an audit entry's title by its action's name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.audit import AuditAction
from backend.core.models import OutboxEvent
from backend.core.services import record_audit
from notifications.models import Delivery

pytestmark = pytest.mark.django_db


def test_deliveries_are_named_and_newest_first(browser, admin):
    for days, template in enumerate(["activation", "second_factor_reset", "second_factor_changed"]):
        event = OutboxEvent.objects.create(
            kind=OutboxEvent.Kind.ACCOUNT_EMAIL, subject_type="user", subject_id=1
        )
        delivery = Delivery.objects.create(event=event, recipient=admin, template=template)
        Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(days=days))

    page = browser.get("/admin/notifications/delivery/").content.decode()

    names = ["Zmiana drugiego składnika przez użytkownika", "Reset drugiego składnika przez leasingodawcę"]
    names.append("Link aktywacyjny")
    positions = [page.find(name) for name in names]
    assert -1 not in positions
    assert sorted(positions, reverse=True) == positions  # the newest (activation) first
    assert ">activation<" not in page and ">second_factor_reset<" not in page


def test_an_audit_entrys_title_names_its_action(browser, admin):
    entry = record_audit(action=AuditAction.USER_ACCESS_CHANGED, user=admin, username="jan@firma.pl")

    page = browser.get(f"/admin/core/auditlog/{entry.pk}/change/").content.decode()

    assert "user_access_changed jan@firma.pl" not in page
    assert "Zmieniono rolę lub dostęp użytkownika jan@firma.pl" in page
