"""Sending a form without a saved draft costs a read, not a write transaction of its own (#18)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.drafts.models import Draft
from backend.drafts.services import discard_draft

pytestmark = pytest.mark.django_db


def test_without_a_draft_nothing_is_written(client_user, acme):
    with CaptureQueriesContext(connection) as queries:
        assert discard_draft(user=client_user, client=acme, form_key="request:payment_date_change") is False

    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert statements == ["SELECT"]


def test_an_existing_draft_is_still_deleted(client_user, acme):
    Draft.objects.create(user=client_user, client=acme, form_key="request:payment_date_change", data={})

    assert discard_draft(user=client_user, client=acme, form_key="request:payment_date_change") is True
    assert not Draft.objects.filter(user=client_user).exists()
