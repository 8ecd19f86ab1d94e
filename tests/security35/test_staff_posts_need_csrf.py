"""A page of another site that makes a logged-in analyst's browser post to the portal (CSRF): every
state-changing staff, analyst, ops and admin address refuses a post without the session's token, and
nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.core.models import AuditLog
from tests.security35.privileged_urls import privileged_paths

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_staff_or_analyst_write_is_taken_without_the_csrf_token(analyst, open_request, method):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(analyst)
    client.get("/staff/tasks/")  # the session's csrftoken cookie, as a real browser holds it
    ids = {"request_id": str(open_request.pk), "instance_id": str(open_request.process_instance_id)}
    ids |= {"process_key": "other_request", "action": "claim", "object_id": str(open_request.pk)}
    before = type(open_request).objects.values().get(pk=open_request.pk)
    audit_rows = AuditLog.objects.count()

    answers = {
        path: getattr(client, method)(path, {"reason": "x"}, content_type="application/json").status_code
        for path in privileged_paths(ids)
    }

    assert {path: code for path, code in answers.items() if code != 403} == {}
    assert type(open_request).objects.values().get(pk=open_request.pk) == before
    assert not AuditLog.objects.filter(pk__gt=audit_rows).exclude(action="csrf_failure").exists()
