"""Defect 6: the reminder's rule is stated where the timer is set and in the refusal, the test run labels
the reminder path with the version's own day, and Validate does not speak of a version it never stores."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.core.exceptions import PortalValidationError
from tests.editor_walk14.flows import PAYMENT_XML
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def reminder_after(days: int) -> str:
    return PAYMENT_XML.replace("&quot;P14D&quot;", f"&quot;P{days}D&quot;")


def test_a_reminder_after_21_days_is_refused_stating_the_rule(api_as, analyst):
    get_current_version(KEY)
    body = {"bpmn_xml": reminder_after(21), "process_key": KEY}

    validated = api_as(analyst).post("/api/workflows/validate/", body, format="json").json()

    # then the refusal says the rule (by day 14, before the 30-day cancel) and what this timer does
    [message] = validated["errors"]["reminder_timer"]
    assert message == (
        "Przypomnienie w 21. dniu oczekiwania na klienta: Przypomnienie musi nastąpić najpóźniej w 14. dniu "
        "oczekiwania na klienta, przed anulowaniem wniosku po 30 dniach, a ten zegar czeka 21 dni: skróć go "
        "do P14D lub mniej."
    )
    # and Validate, which stores nothing, does not say no version was stored
    assert (
        validated["message"]
        == "Sprawdzenie poprawności nie powiodło się: przebieg testowy zatrzymał się na niektórych "
        "ścieżkach, więc tego diagramu nie można wdrożyć w tej postaci."
    )


def test_deploy_still_says_no_version_was_stored():
    with pytest.raises(PortalValidationError) as refused:
        deploy_bpmn_version(xml=reminder_after(21))

    assert refused.value.message.endswith("nie zapisano żadnej wersji.")


def test_the_reminder_path_is_labelled_with_the_versions_own_day(api_as, client, analyst):
    # given the reminder moved to 7 days
    body = {"bpmn_xml": reminder_after(7), "process_key": KEY}

    run = api_as(analyst).post("/api/workflows/test-run/", body, format="json").json()
    deployed = deploy_bpmn_version(xml=reminder_after(7), by=analyst)
    client.force_login(analyst)
    page = client.get(reverse("flow-versions", args=[KEY])).content.decode()

    # then the editor's test run, the stored run and the versions page say day 7
    labels = {path["path"]: path["label"] for path in run["paths"]}
    assert labels["reminder"] == "Przypomnienie w 7. dniu oczekiwania na klienta"
    assert deployed.test_run["paths"][3]["label_params"] == {"day": 7}
    assert "Przypomnienie w 7. dniu oczekiwania na klienta" in page
    assert "Przypomnienie w 14. dniu" not in page.split('data-testid="version-2"')[1].split("</table>")[0]


def test_the_timer_field_of_the_panel_states_the_rule(client, analyst):
    client.force_login(analyst)

    page = client.get(reverse("flow-editor", args=[KEY])).content.decode()

    assert (
        'data-timer-help-time-duration="Na przykład P14D (14 dni) lub PT12H (12 godzin). Przypomnienie dla klienta musi '
        "nastąpić najpóźniej w 14. dniu oczekiwania na odpowiedź (P14D lub krócej). Wniosek jest anulowany "
        'dokładnie po 30 dniach oczekiwania na odpowiedź (P30D)."'
    ) in page


def test_a_complaints_late_reminder_is_refused_without_a_cancel_it_does_not_have(api_as, analyst):
    from pathlib import Path

    complaint = (Path(__file__).resolve().parents[2] / "bpmn" / "complaint.bpmn").read_text()
    late = complaint.replace("&quot;P14D&quot;", "&quot;P21D&quot;")
    assert late != complaint
    get_current_version("complaint")

    validated = (
        api_as(analyst)
        .post("/api/workflows/validate/", {"bpmn_xml": late, "process_key": "complaint"}, format="json")
        .json()
    )

    # a complaint is never cancelled: the rule is the reminder's day alone
    messages = [message for errors in validated["errors"].values() for message in errors]
    assert (
        "Przypomnienie w 21. dniu oczekiwania na klienta: Przypomnienie musi nastąpić najpóźniej w 14. dniu "
        "oczekiwania na klienta, a ten zegar czeka 21 dni: skróć go do P14D lub mniej."
    ) in messages, messages
