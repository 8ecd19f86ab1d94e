"""The test run's cancel path says how many reminders the client gets before the cancel, and on which
days of waiting: what an analyst changing the reminder (P14D, a cycle R3/P7D) wants to see."""

from __future__ import annotations

import pytest
from django.utils import translation

from backend.requests_app.models import PortalRequest
from workflows import simulation_labels, versioning
from workflows.forms import load_form
from workflows.services import builtin_process_files, parse_for_deploy

pytestmark = pytest.mark.django_db

XSI = "http://www.w3.org/2001/XMLSchema-instance"
P14D = f'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression" xmlns:xsi="{XSI}">&quot;P14D&quot;</bpmn:timeDuration>'


def cancel_label(xml: str, lang: str) -> str:
    process = parse_for_deploy(xml)
    result = versioning.run_test(process, {key: load_form(key) for key in process.form_keys})
    assert result.passed, result.failures()
    [cancel] = [path for path in result.paths if path.path == "cancel"]
    with translation.override(lang):
        return simulation_labels.path_label(cancel)


def payment_day_change(reminder: str | None) -> str:
    xml = builtin_process_files()["payment_date_change"].read_text(encoding="utf-8")
    assert P14D in xml
    return xml if reminder is None else xml.replace(P14D, reminder)


def test_the_shipped_reminder_on_day_14_is_counted_once():
    xml = payment_day_change(None)

    assert (
        cancel_label(xml, "pl")
        == "Anulowanie w 30. dniu oczekiwania na klienta (po 1 przypomnieniu: dzień 14)"
    )
    assert (
        cancel_label(xml, "en")
        == "Cancellation on day 30 of waiting for the client (after 1 reminder: day 14)"
    )


def test_a_weekly_cycle_of_three_is_counted_on_its_days():
    cycle = f'<bpmn:timeCycle xsi:type="bpmn:tFormalExpression" xmlns:xsi="{XSI}">&quot;R3/P7D&quot;</bpmn:timeCycle>'

    label = cancel_label(payment_day_change(cycle), "pl")

    assert label == "Anulowanie w 30. dniu oczekiwania na klienta (po 3 przypomnieniach: dni 7, 14, 21)"


def test_a_stored_run_from_before_keeps_its_label_and_the_run_leaves_nothing():
    before = {"path": "cancel", "status": "passed", "label_params": {}}
    with translation.override("pl"):
        assert simulation_labels.path_label(before) == "Anulowanie w 30. dniu oczekiwania na klienta"
    cancel_label(payment_day_change(None), "pl")
    assert not PortalRequest.objects.exists()
