"""A decision document bears the day of the decision, not the day the worker renders it: a decision at
23:59:57 Warsaw time rendered after midnight (or after a retry, an outage) still reads that day."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from backend.requests_app import tasks
from backend.requests_app.models import PortalRequest
from tests.requests_app.test_decision_after_commit import approve_committed
from tests.requests_app.test_flows import docx_text, submit

pytestmark = pytest.mark.django_db


def test_an_annex_rendered_after_midnight_is_dated_the_day_of_the_decision(
    queued, api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    # given a request approved three seconds before midnight, Warsaw time
    decision_day = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(decision_day + timedelta(days=1), time()))
    with time_machine.travel(midnight - timedelta(seconds=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            request_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
        approve_committed(api_as(bok_staff), request_id, django_capture_on_commit_callbacks)

    # when the worker renders it 20 seconds after midnight
    with time_machine.travel(midnight + timedelta(seconds=20), tick=False):
        tasks.render_decision_document(queued[0])

    # then the annex, its acceptance sentence and the document's date are the decision's day
    document = PortalRequest.objects.get(pk=request_id).decision_document
    text = docx_text(document)
    day = decision_day.strftime("%d.%m.%Y")
    assert f"Data: {day}" in text
    assert f"przyjął go dnia {day}." in text
    assert document.issued_on == decision_day
