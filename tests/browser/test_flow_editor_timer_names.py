"""A timer's name follows its value (src/timer_names.js): when the analyst changes the reminder's "P14D" the
name "Po 14 dniach bez odpowiedzi" on the diagram says the new value, in the language it is written in; a
name typed by hand stays, and one that says another value is pointed out with the new name one click away.
Before, the diagram kept saying 14 days whatever the timer's value."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_flow_editor_panel_contract import entry, select
from tests.browser.test_flow_editor_safety import MODELER, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_name(page, name: str) -> None:
    """The reminder's name in the diagram, and its label drawn on the canvas (wrapped in lines)."""
    page.wait_for_function(
        f"name => {MODELER}.get('elementRegistry').get('reminder_timer').businessObject.name === name",
        arg=name,
    )
    label = page.locator("#bpmn-canvas [data-element-id='reminder_timer_label'] text tspan")
    assert " ".join(line.strip() for line in label.all_text_contents()) == name


def rename_by_hand(page, name: str) -> None:
    page.evaluate(
        f"name => {{ const m = {MODELER}; m.get('modeling').updateProperties("
        "m.get('elementRegistry').get('reminder_timer'), {name}); }",
        name,
    )


def test_the_reminders_name_says_its_new_value_and_a_hand_typed_one_changes_on_a_click(page, analyst):
    errors = open_editor(page, analyst, "payment_date_change")
    page.set_viewport_size({"width": 1280, "height": 900})
    select(page, "reminder_timer")
    kind = entry(page, "portal-timerKind").locator("select")
    value = entry(page, "portal-timer").locator("input")
    note = entry(page, "portal-timerName")
    expect(note).to_have_text(
        "Nazwa na diagramie, „Po 14 dniach bez odpowiedzi”, zmienia się razem z wartością."
    )

    # when the analyst shortens the reminder, the shipped name says the new length
    value.fill("P7D")
    wait_for_name(page, "Po 7 dniach bez odpowiedzi")
    expect(note).to_have_text(
        "Nazwa na diagramie, „Po 7 dniach bez odpowiedzi”, zmienia się razem z wartością."
    )

    # when they make it a cycle (the kind first, then its value), the name says the repetition
    kind.select_option("timeCycle")
    value.fill("R3/P7D")
    wait_for_name(page, "Co 7 dni, 3 razy bez odpowiedzi")
    # one undo takes the value and the name back together
    page.evaluate(f"() => {MODELER}.get('commandStack').undo()")
    assert page.evaluate(
        f"() => {MODELER}.get('elementRegistry').get('reminder_timer').businessObject.name"
    ) == ("Po 7 dniach bez odpowiedzi")
    page.evaluate(f"() => {MODELER}.get('commandStack').redo()")
    wait_for_name(page, "Co 7 dni, 3 razy bez odpowiedzi")

    # a name typed by hand that says no value stays, and nothing is said about it
    rename_by_hand(page, "Przypomnienie dla klienta")
    value.fill("R2/P7D")
    page.wait_for_function(
        f"() => {MODELER}.get('elementRegistry').get('reminder_timer').businessObject.eventDefinitions[0]"
        ".timeCycle.body === '\"R2/P7D\"'"
    )
    wait_for_name(page, "Przypomnienie dla klienta")
    expect(note).to_have_count(0)

    # one typed by hand that says another value stays too, but the panel says so beside the value and
    # beside the name, with the name of the value one click away
    rename_by_hand(page, "Po 2 tygodniach bez odpowiedzi")
    warning = "Nazwa na diagramie, „Po 2 tygodniach bez odpowiedzi”, nie odpowiada tej wartości."
    expect(note.locator(".portal-timer-name-warning")).to_have_text(warning)
    expect(entry(page, "portal-timerNameGeneral").locator(".portal-timer-name-warning")).to_have_text(warning)
    page.locator("#properties-panel").screenshot(path="/tmp/s24/A_shots/timer_name_warning_1280.png")
    note.get_by_role("button", name="Zmień nazwę na „Co 7 dni, 2 razy bez odpowiedzi”").click()
    wait_for_name(page, "Co 7 dni, 2 razy bez odpowiedzi")
    expect(note.locator(".portal-timer-name-warning")).to_have_count(0)
    assert errors == []


def test_on_an_english_page_a_polish_name_stays_polish_and_the_panel_speaks_english(page, analyst):
    analyst.language = "en"
    analyst.save(update_fields=["language"])
    errors = open_editor(page, analyst, "payment_date_change")
    select(page, "reminder_timer")
    value = entry(page, "portal-timer").locator("input")

    # the diagram's Polish name is rewritten in Polish
    value.fill("P1D")
    wait_for_name(page, "Po 1 dniu bez odpowiedzi")
    # a name in English follows in English
    rename_by_hand(page, "After 1 day without a reply")
    value.fill("PT36H")
    wait_for_name(page, "After 36 hours without a reply")
    expect(entry(page, "portal-timerName")).to_have_text(
        "The name on the diagram, “After 36 hours without a reply”, changes with the value."
    )
    # and one saying another value offers the English words of this one
    rename_by_hand(page, "After 2 days without a reply")
    entry(page, "portal-timerName").get_by_role(
        "button", name="Rename to “After 36 hours without a reply”"
    ).click()
    wait_for_name(page, "After 36 hours without a reply")
    assert errors == []
