"""A timer's help says what is true of the request type being edited (portal_ui/editor_panel.py): the
complaint's reply timer shows the one read deploy accepts, complaint_clock["reply_by_at"], locked with why,
and a complaint (never cancelled) hears nothing of a 30-day cancel; a type with the cancel still does.
Before, every type's date help named complaint_clock["deadline_at"], which deploy refuses on that timer, and
every type's duration help promised the 30-day cancel; then the complaint's other timers were offered its
read, which would fire when the wait ends, and a wrong value showed its help twice (error and help)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from backend.requests_app.complaints import REPLY_MARGIN_DAYS
from tests.browser.test_flow_editor_panel_contract import entry, select
from tests.browser.test_flow_editor_safety import MODELER, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPLAINT_XML = (Path(settings.BASE_DIR) / "bpmn" / "complaint.bpmn").read_text(encoding="utf-8")
REPLY_BY = 'complaint_clock["reply_by_at"]'
FIXED = (
    f"Ustalony w regulaminie tego rodzaju wniosku: data jest odczytywana z {REPLY_BY}: to chwila, w której "
    f"kończy się oczekiwanie na odpowiedź klienta (początek dnia {REPLY_MARGIN_DAYS} dni przed ustawowym "
    "terminem; klient jest proszony o odpowiedź do dnia poprzedniego). Wdrożenie odrzuca inną datę, więc nie "
    "można go tu zmienić."
)
CANCEL = "Wniosek jest anulowany dokładnie po 30 dniach oczekiwania na odpowiedź (P30D)."
DATE_HELP = "Data i godzina ze strefą czasową, np. 2027-01-31T09:00:00+01:00."
DATE_INVALID = "Wpisz datę i godzinę ze strefą czasową, np. 2027-01-31T09:00:00+01:00."
REMINDER = "Przypomnienie dla klienta musi nastąpić najpóźniej w 14. dniu oczekiwania na odpowiedź (P14D lub krócej)."


def timer_value_help(page):
    return entry(page, "portal-timer").locator(".bio-properties-panel-description")


def test_the_complaints_reply_timer_shows_its_fixed_read_locked_and_no_cancel(page, analyst):
    errors = open_editor(page, analyst, "complaint")
    page.set_viewport_size({"width": 1280, "height": 900})

    # when the analyst selects the timer that ends the wait for the client's reply
    select(page, "reply_deadline_timer")
    kind = entry(page, "portal-timerKind").locator("select")
    value = entry(page, "portal-timer").locator("input")

    # then it shows the read deploy accepts, locked, with what that date is
    assert kind.input_value() == "timeDate" and kind.is_disabled()
    assert value.input_value() == REPLY_BY and value.is_disabled()
    expect(timer_value_help(page)).to_have_text(FIXED)
    assert "30 dni" not in entry(page, "portal-timer").inner_text()
    panel = page.locator("#properties-panel")
    page.set_viewport_size({"width": 375, "height": 800})
    panel.scroll_into_view_if_needed()

    # when they select the reminder (a duration): its help names the reminder's day, never a cancel
    select(page, "reminder_timer")
    expect(timer_value_help(page)).to_have_text(
        f"Na przykład P14D (14 dni) lub PT12H (12 godzin). {REMINDER}"
    )
    # and a date there is explained without the clock's read: complaint_clock["reply_by_at"] is the moment
    # the reply timer ends the wait, so a reminder then would come too late (only the reply timer reads it)
    kind.select_option("timeDate")
    expect(timer_value_help(page)).to_have_text(DATE_HELP)
    error = entry(page, "portal-timer").locator(".bio-properties-panel-error")
    expect(error).to_have_text(DATE_INVALID)
    # said once: the error, not the help under it again in nearly the same words
    expect(timer_value_help(page)).to_be_hidden()
    assert "complaint_clock" not in entry(page, "portal-timer").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_viewport_size({"width": 375, "height": 800})
    panel.scroll_into_view_if_needed()
    # and a valid date brings the help back without an error
    value.fill("2027-01-31T09:00:00+01:00")
    expect(error).to_have_count(0)
    expect(timer_value_help(page)).to_be_visible()
    # and the lane is named in Polish, as the portal names it elsewhere
    assert entry(page, "portal-lane").locator("input").input_value() == "Klient"
    assert errors == []


def test_a_complaint_file_reading_another_date_on_the_reply_timer_is_told_why(page, analyst, tmp_path):
    # given a complaint diagram from disk whose reply timer reads the statutory deadline instead
    edited = tmp_path / "reklamacja.bpmn"
    edited.write_text(
        COMPLAINT_XML.replace("[&quot;reply_by_at&quot;]", "[&quot;deadline_at&quot;]"), "utf-8"
    )
    errors = open_editor(page, analyst, "complaint")
    page.set_input_files("#upload-flow", str(edited))
    page.locator("#editor-result.ok").wait_for()

    # when the analyst selects it: it can be corrected, and the field says what deploy holds it to
    select(page, "reply_deadline_timer")
    value = entry(page, "portal-timer").locator("input")
    error = entry(page, "portal-timer").locator(".bio-properties-panel-error")
    assert not value.is_disabled()
    assert value.input_value() == 'complaint_clock["deadline_at"]'
    expect(error).to_have_text(FIXED)
    value.fill('complaint_clock["escalate_at"]')
    expect(error).to_have_text(FIXED)
    # (not a date at all: still what the terms fix, said once, not again as the help under it)
    value.fill("31.01.2027 9:00")
    page.wait_for_timeout(1000)  # the field checks what was typed after its debounce (300 ms)
    expect(error).to_have_text(FIXED)
    expect(timer_value_help(page)).to_be_hidden()

    # when they type the fixed read: the diagram reads it and the field locks again
    value.fill("complaint_clock['reply_by_at']")
    page.wait_for_function(
        f"() => {MODELER}.get('elementRegistry').get('reply_deadline_timer').businessObject"
        ".eventDefinitions[0].timeDate.body === \"complaint_clock['reply_by_at']\""
    )
    select(page, "reminder_timer")
    select(page, "reply_deadline_timer")
    assert value.is_disabled()
    assert error.count() == 0
    assert errors == []


def test_a_type_with_the_cancel_timer_still_says_it_and_gives_no_complaint_read(page, analyst):
    errors = open_editor(page, analyst, "payment_date_change")

    # when the analyst selects the reminder of the payment day change
    select(page, "reminder_timer")

    # then its help names the reminder's day and the 30-day cancel its terms fix
    expect(timer_value_help(page)).to_have_text(
        f"Na przykład P14D (14 dni) lub PT12H (12 godzin). {REMINDER} {CANCEL}"
    )
    # and a date is explained without any read of data this type does not have
    entry(page, "portal-timerKind").locator("select").select_option("timeDate")
    expect(timer_value_help(page)).to_have_text(
        "Data i godzina ze strefą czasową, np. 2027-01-31T09:00:00+01:00."
    )
    assert errors == []
