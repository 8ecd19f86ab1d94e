"""Defects 4, 5, 7 and 9 where the server speaks: elements by their names (the id in brackets only for
one without a name), element types and fields in Polish, plural forms, the panel's labels, and a file of
another tool told which pool to change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.editor_walk14.flows import PAYMENT_XML, without_apply_change
from workflows.models import ProcessVersion
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"
MIWG_C1 = Path("/work/shared/bpmn-miwg/reference/C.1.0.bpmn")


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_versions_page_names_elements_by_name_in_polish(client, analyst):
    # given a stored version 2 without the task applying the change (as deployed before the rule), never
    # test-run, and version 1 current with its test run
    v1 = get_current_version(KEY)
    ProcessVersion.objects.create(
        process_key=KEY, number=2, bpmn_xml=without_apply_change(), forms=v1.forms, checksum="v2", test_run={}
    )
    client.force_login(analyst)

    page = client.get(reverse("flow-versions", args=[KEY])).content.decode()

    v1_section = visible(page.split('data-testid="version-1"')[1])
    v2_section = visible(page.split('data-testid="version-2"')[1].split('data-testid="version-1"')[0])
    # the test run says where a path ended by the end event's name
    assert "zakończona w „Zrealizowany”" in v1_section and "request_approved" not in v1_section
    # the differences: counts in Polish plural forms, types in Polish, names, ids only for the unnamed
    assert "2 usunięte elementy, 1 zmieniony element" in v2_section  # no "0 dodanych elementów"
    assert "− Zadanie serwisowe „Wprowadzenie nowej daty płatności”" in v2_section
    assert "− Przepływ sekwencji (flow_change_applied)" in v2_section
    assert (
        "~ Przepływ sekwencji „Zatwierdź”: dokąd: „Wprowadzenie nowej daty płatności” → "
        "„Wygenerowanie aneksu / decyzji”"
    ) in v2_section
    assert "serviceTask" not in v2_section and "sequenceFlow" not in v2_section and " to: " not in v2_section


def test_a_user_task_without_a_form_is_told_where_to_choose_one(api_as, analyst):
    xml = PAYMENT_XML.replace(
        '<spiffworkflow:property name="formKey" value="payment_date_change/client_reply" />', ""
    )

    errors = (
        api_as(analyst).post("/api/workflows/validate/", {"bpmn_xml": xml}, format="json").json()["errors"]
    )

    assert errors["client_reply"] == [
        "Zadanie użytkownika nie ma formularza: wybierz go w polu „Formularz” w panelu właściwości."
    ]


def test_the_editor_page_gives_the_panel_its_polish_labels(client, analyst):
    client.force_login(analyst)

    page = client.get(reverse("flow-editor", args=["vehicle_abroad_permit"])).content.decode()

    panel = json.loads(re.search(r'id="modeler-translations"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert panel["Timer Boundary Event (Non Interrupting)"] == "Zegar na zadaniu (nieprzerywający)"
    assert (panel["Participant Name"], panel["Participant ID"]) == ("Nazwa puli", "Identyfikator puli")
    # the decision table's last column is the rule's description, not an invoice line's goods
    assert 'data-text-description="Opis"' in page
    assert "Nazwa towaru lub usługi" not in page


@pytest.mark.skipif(not MIWG_C1.exists(), reason="the BPMN MIWG reference files are not on this machine")
def test_a_file_with_two_pools_names_the_pool_to_change(api_as, analyst):
    body = {"bpmn_xml": MIWG_C1.read_text(encoding="utf-8"), "process_key": KEY}

    validated = api_as(analyst).post("/api/workflows/validate/", body, format="json").json()

    [message] = validated["errors"]["bpmn-miwg-test-case-c.1.0"]
    assert "zaznacz pulę „Process Engine - Invoice Receipt” i wpisz payment_date_change" in message


MIWG_C11 = MIWG_C1.with_name("C.1.1.bpmn")


@pytest.mark.skipif(not MIWG_C11.exists(), reason="the BPMN MIWG reference files are not on this machine")
def test_a_file_without_a_pool_is_told_the_canvas_not_a_pool(api_as, analyst):
    body = {"bpmn_xml": MIWG_C11.read_text(encoding="utf-8"), "process_key": KEY}

    validated = api_as(analyst).post("/api/workflows/validate/", body, format="json").json()

    messages = [m for field in validated["errors"].values() for m in field if "payment_date_change" in m]
    assert any("kliknij puste miejsce obszaru rysowania i wpisz payment_date_change" in m for m in messages)
    assert not any("pul" in m for m in messages)  # the diagram has none: no word of a pool
