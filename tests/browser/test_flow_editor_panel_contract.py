"""The Portal group of the properties panel offers what the request type's contract allows
(workflows/contract.py, portal_ui/editor_panel.py): a user task's form with the fields it asks for, a
business-rule task's decision table with a link to it, a timer's duration, date or cycle with the check at
the field in Polish, and the 30-day cancel read only. What is chosen is written in the engine's format and
passes Validate (a deploy's checks and test run)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.test_flow_editor_safety import MODELER, click_and_wait, deploy_and_wait, open_editor
from workflows.models import ProcessVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def select(page, element_id: str) -> None:
    page.evaluate(
        f"id => {{ const m = {MODELER}; m.get('selection').select(m.get('elementRegistry').get(id)); }}",
        element_id,
    )
    page.wait_for_function(
        "id => document.querySelector('#properties-panel .bio-properties-panel-header-label')"
        " && document.getElementById('flow-editor').modeler.get('selection').get()[0].id === id",
        arg=element_id,
    )


def entry(page, entry_id: str):
    return page.locator(f"#properties-panel [data-entry-id='{entry_id}']")


def field_rows(fields) -> list[list[str]]:
    """The fields table's rows: label, field name, type, required."""
    return fields.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].firstChild.textContent.trim(), r.querySelector('code').textContent,"
        " r.cells[1].textContent, r.cells[2].textContent])"
    )


def saved_xml(page) -> str:
    return page.evaluate(f"() => {MODELER}.saveXML({{format: true}}).then(r => r.xml)")


def element_xml(xml: str, tag: str, element_id: str) -> str:
    return xml.split(f'<bpmn:{tag} id="{element_id}"')[1].split(f"</bpmn:{tag}>")[0]


def assert_valid(page) -> None:
    click_and_wait(page, "#validate-flow")
    result = page.locator("#editor-result")
    assert result.get_attribute("class") == "editor-result ok", result.inner_text()


def test_a_user_task_offers_its_stages_form_and_lists_its_fields(page, analyst):
    errors = open_editor(page, analyst, "payment_date_change")
    page.set_viewport_size({"width": 1280, "height": 900})

    # when the analyst selects the client's reply
    select(page, "client_reply")

    # then the form select offers the one form the contract gives that stage, named in Polish
    form = entry(page, "portal-formKey").locator("select")
    assert form.input_value() == "payment_date_change/client_reply"
    assert form.locator("option").all_inner_texts() == [
        "—",
        "Odpowiedź klienta",
    ]
    assert "Formularz tego etapu (tor Klient): payment_date_change/client_reply." in (
        entry(page, "portal-formKey").inner_text()
    )
    # and the form's fields are listed read only: label, name, type, required
    fields = entry(page, "portal-formFields")
    assert "Pola formularza Odpowiedź klienta" in fields.locator("caption").inner_text()
    assert field_rows(fields) == [
        ["Odpowiedź", "message", "tekst", "tak"],
        ["Załączniki", "attachment_ids", "lista", "nie"],
    ]
    assert fields.locator("input, select, textarea").count() == 0
    page.locator("#properties-panel").screenshot(path="/tmp/s21/E_shots/after_1280_client_reply.png")

    # when they clear the form: the field says deploy refuses it, and the diagram loses the property
    form.select_option("")
    error = entry(page, "portal-formKey").locator(".bio-properties-panel-error")
    assert error.inner_text() == "Wybierz formularz: wdrożenie odrzuca zadanie użytkownika bez formularza."
    assert 'name="formKey"' not in element_xml(saved_xml(page), "userTask", "client_reply")
    assert fields.count() == 0

    # when they choose it again with the keyboard
    form.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        f"() => {MODELER}.get('elementRegistry').get('client_reply').businessObject"
        ".extensionElements.values[0].properties.some(p => p.name === 'formKey')"
    )

    # then the diagram names it in the engine's format, the staff review lists its own fields, and it validates
    xml = saved_xml(page)
    assert (
        '<spiffworkflow:property name="formKey" value="payment_date_change/client_reply" />'
        in element_xml(xml, "userTask", "client_reply")
    )
    select(page, "staff_review")
    staff_rows = field_rows(entry(page, "portal-formFields"))
    assert staff_rows[0] == ["Decyzja", "decision", "wybór z listy", "tak"]
    assert ["Uzasadnienie odmowy", "reason", "tekst", "przy niektórych odpowiedziach"] in staff_rows
    assert_accessible(page, "flow editor, user task panel")
    assert_valid(page)
    assert errors == []


def test_a_business_rule_task_chooses_its_decision_table_with_a_link_to_it(page, analyst):
    errors = open_editor(page, analyst, "vehicle_abroad_permit")
    page.set_viewport_size({"width": 1280, "height": 900})

    # when the analyst selects the rules' task
    select(page, "evaluate_rules")
    decision = entry(page, "portal-decision")
    table = decision.locator("select")

    # then it shows the table it calls among the flow's tables, with a link to it and what the type needs
    assert table.input_value() == "vehicle_abroad_permit"
    assert table.locator("option").all_inner_texts()[0] == "—"
    assert len(table.locator("option").all_inner_texts()) == 2
    assert "Ten rodzaj wniosku wymaga zadania reguł biznesowych wywołującego vehicle_abroad_permit." in (
        decision.inner_text()
    )
    page.locator("#properties-panel").screenshot(path="/tmp/s21/E_shots/after_1280_evaluate_rules.png")

    # when they clear it: the field says deploy refuses it, Validate too, and the diagram calls no table
    table.select_option("")
    assert decision.locator(".bio-properties-panel-error").inner_text().startswith("Wybierz tabelę decyzyjną")
    assert "calledDecisionId" not in element_xml(saved_xml(page), "businessRuleTask", "evaluate_rules")
    click_and_wait(page, "#validate-flow")
    assert page.locator("#editor-result.bad button[data-element-id='evaluate_rules']").count() == 1

    # when they choose the table again
    table.select_option("vehicle_abroad_permit")

    # then the diagram calls it in SpiffWorkflow's format and validates
    called = element_xml(saved_xml(page), "businessRuleTask", "evaluate_rules")
    assert "<spiffworkflow:calledDecisionId>vehicle_abroad_permit</spiffworkflow:calledDecisionId>" in called
    assert_valid(page)

    # and the link takes them (and the keyboard's focus) to the table below the editor
    select(page, "evaluate_rules")
    link = decision.locator("a")
    assert link.get_attribute("href") == "#dmn-table-vehicle_abroad_permit"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'dmn-table-vehicle_abroad_permit'")
    assert_accessible(page, "flow editor, business-rule task panel")
    assert errors == []


def test_a_timer_takes_a_duration_a_cycle_or_a_date_and_the_terms_cancel_timer_is_read_only(page, analyst):
    errors = open_editor(page, analyst, "payment_date_change")
    page.set_viewport_size({"width": 1280, "height": 900})

    # when the analyst selects the reminder (non-interrupting, on the client's reply)
    select(page, "reminder_timer")
    kind = entry(page, "portal-timerKind").locator("select")
    value = entry(page, "portal-timer").locator("input")

    # then its type is a duration among the three the engine runs
    assert kind.input_value() == "timeDuration"
    assert kind.locator("option").all_inner_texts() == [
        "Po upływie czasu (czas trwania)",
        "W określonym terminie (data)",
        "Powtarzany (cykl)",
    ]
    assert value.input_value() == "P14D"

    # when they make it a cycle: the duration does not fit one, so the field asks for a repetition
    kind.select_option("timeCycle")
    error = entry(page, "portal-timer").locator(".bio-properties-panel-error")
    assert error.inner_text() == "Wpisz powtarzanie, np. R3/P7D (trzy razy co 7 dni)."
    value.fill("co tydzień")
    assert error.inner_text() == "Wpisz powtarzanie, np. R3/P7D (trzy razy co 7 dni)."
    # a reminder without end, too often or too many times is refused there, with the rule deploy holds
    rule = (
        "Powtarzane przypomnienie dla klienta może się powtórzyć najwyżej 10 razy, nie częściej niż raz "
        "dziennie, np. „R3/P7D”."
    )
    for refused in ("R/PT1H", "R3/PT12H", "R11/P1D"):
        value.fill(refused)
        expect(error).to_have_text(rule)
    value.fill("R2/P7D")
    page.wait_for_function(
        f"() => ({MODELER}.get('elementRegistry').get('reminder_timer').businessObject.eventDefinitions[0]"
        ".timeCycle || {}).body === '\"R2/P7D\"'"
    )
    assert error.count() == 0
    page.locator("#properties-panel").screenshot(path="/tmp/s21/E_shots/after_1280_reminder_timer.png")

    # then the diagram has the cycle alone, quoted for the engine, and it passes Validate (test run included)
    reminder = element_xml(saved_xml(page), "boundaryEvent", "reminder_timer")
    assert re.search(r"<bpmn:timeCycle[^>]*>(&#34;|&quot;|\")R2/P7D(&#34;|&quot;|\")<", reminder)
    assert "timeDuration" not in reminder
    assert_valid(page)
    # and it deploys as a new version that keeps the cycle
    deploy_and_wait(page)
    newest = ProcessVersion.objects.filter(process_key="payment_date_change").order_by("-number").first()
    assert newest.number == 2 and "R2/P7D" in newest.bpmn_xml and "timeCycle" in newest.bpmn_xml

    # when they make it a date: one without its time zone is refused at the field, in Polish
    kind.select_option("timeDate")
    value.fill("2026-12-24")
    assert error.inner_text() == "Wpisz datę i godzinę ze strefą czasową, np. 2027-01-31T09:00:00+01:00."
    value.fill("2026-12-24T09:00:00+01:00")
    page.wait_for_function(
        f"() => ({MODELER}.get('elementRegistry').get('reminder_timer').businessObject.eventDefinitions[0]"
        ".timeDate || {}).body === '\"2026-12-24T09:00:00+01:00\"'"
    )
    reminder = element_xml(saved_xml(page), "boundaryEvent", "reminder_timer")
    assert re.search(
        r"<bpmn:timeDate[^>]*>(&#34;|&quot;|\")2026-12-24T09:00:00\+01:00(&#34;|&quot;|\")<", reminder
    )
    assert "timeCycle" not in reminder

    # when they select the 30-day cancel: the terms fix it, so it is read only and says why
    select(page, "cancel_timer")
    assert kind.is_disabled() and value.is_disabled()
    assert value.input_value() == "P30D"
    # (an interrupting timer offers no cycle)
    assert kind.locator("option").count() == 2
    assert "Ustalony w regulaminie tego rodzaju wniosku: dokładnie 30 dni (P30D)" in (
        entry(page, "portal-timer").inner_text()
    )
    page.locator("#properties-panel").screenshot(path="/tmp/s21/E_shots/after_1280_cancel_timer.png")
    assert_accessible(page, "flow editor, timer panel")
    assert errors == []


def test_a_timer_reading_its_date_from_the_request_data_shows_it(page, analyst):
    errors = open_editor(page, analyst, "complaint")

    # when the analyst selects the complaint's deadline (a date the statutory clock computes)
    select(page, "deadline_timer")

    # then the panel shows it as a date read from the request's data, not an empty duration
    assert entry(page, "portal-timerKind").locator("select").input_value() == "timeDate"
    value = entry(page, "portal-timer").locator("input")
    assert value.input_value() == 'complaint_clock["deadline_at"]'
    assert entry(page, "portal-timer").locator(".bio-properties-panel-error").count() == 0

    # when they make it read the escalation date instead: written unquoted (a read of the data)
    value.fill('complaint_clock["escalate_at"]')
    page.wait_for_function(
        f"() => {MODELER}.get('elementRegistry').get('deadline_timer').businessObject.eventDefinitions[0]"
        ".timeDate.body === 'complaint_clock[\"escalate_at\"]'"
    )
    page.locator("#properties-panel").screenshot(path="/tmp/s21/E_shots/after_1280_deadline_timer.png")
    assert errors == []
