"""Notifications of real request steps (helper B's services write the outbox; we deliver it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.requests_app.timers import sweep_due_timers
from notifications.models import Notice
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


def test_question_reminder_and_decision_reach_the_client(
    api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given
        client_api, staff_api = api_as(client_user), api_as(bok_staff)
        body = submission(
            "other_request", data={"subject": "Polisa", "message": "Czy mogę zmienić ubezpieczyciela?"}
        )
        with django_capture_on_commit_callbacks(execute=True):
            request_id = client_api.post("/api/requests/", body, format="json").json()["id"]

        # when: staff ask the client
        with django_capture_on_commit_callbacks(execute=True):
            staff_api.post(
                f"/api/staff/requests/{request_id}/ask-client/", {"question": "Numer polisy?"}, format="json"
            )

        # then: one e-mail says we wait for the reply (not a second one for the stage change)
        waiting_mails = [m for m in mail.outbox if "czekamy na Twoją odpowiedź" in m.subject]
        assert len(waiting_mails) == 1
        assert f"/requests/{request_id}/" in waiting_mails[0].body
        assert Notice.objects.filter(recipient=client_user, kind="request.waiting_for_client").count() == 1

        # when: 14 days pass without a reply (the beat sweep fires the BPMN timer)
        traveller.shift(timedelta(days=14, seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1

        # then
        assert len([m for m in mail.outbox if m.subject.startswith("Przypomnienie")]) == 1

        # when: the client replies and staff approve
        with django_capture_on_commit_callbacks(execute=True):
            api_as(client_user).post(
                f"/api/requests/{request_id}/reply/", {"message": "POL-1"}, format="json"
            )
        with django_capture_on_commit_callbacks(execute=True):
            api_as(bok_staff).post(
                f"/api/staff/requests/{request_id}/approve/", {"answer": "Tak."}, format="json"
            )

        # then
        decided = [m for m in mail.outbox if m.subject.endswith(": zatwierdzony")]
        assert len(decided) == 1
        assert "zatwierdzony" in decided[0].body
