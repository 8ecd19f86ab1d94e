"""The analyst's day, walk 35: repairing a request whose step failed. The repair console and the request's
repair page name the failed element by its name on the canvas (its id under it), say in the reader's language
that a technical error stopped the step, and keep the exception's English text under "Technical detail",
opened from the keyboard; before, a Polish or a phone's page showed `issue_decision_document` and
`builtins.RuntimeError printer on fire (1)` and nothing else. A refused outcome's reason names its end event
and timer, not their ids."""

from __future__ import annotations

import pytest

from backend.requests_app.lifecycle import OUTCOME_REFUSED
from tests.browser.test_staff_inbox import open_as
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import Incident, IncidentState, ProcessInstance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/an5"


def failed_step(client_user, acme) -> Incident:
    instance = submit_request(client_user, acme).process_instance
    ProcessInstance.objects.filter(pk=instance.pk).update(incident_state=IncidentState.OPEN)
    return Incident.objects.create(
        instance=instance,
        process_version_id=instance.process_version_id,
        action="approve",
        element_id="issue_decision_document",
        error_class="builtins.RuntimeError",
        message="printer on fire",
        attempts=2,
    )


def fits_across(page, selector: str) -> bool:
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].every(e => e.getBoundingClientRect().right <= innerWidth)",
        selector,
    )


@pytest.mark.parametrize(
    ("language", "locale", "width", "said", "detail"),
    [
        ("pl", "pl-PL", 1280, "Krok nie wykonał się z powodu błędu technicznego.", "Szczegóły techniczne"),
        ("en", "en-GB", 375, "The step did not run because of a technical error.", "Technical detail"),
    ],
)
def test_a_failed_step_is_named_and_said_in_words_its_error_kept_under_the_detail(
    browser, asgi_server, analyst, client_user, acme, language, locale, width, said, detail
):
    incident = failed_step(client_user, acme)
    analyst.language = language
    analyst.save(update_fields=["language"])
    context, page = open_as(browser, asgi_server, analyst, "/ops/", locale=locale)
    try:
        page.set_viewport_size({"width": width, "height": 900})
        for where in ("console", "repair page"):
            row = page.locator(f"[data-testid=incident-{incident.pk}]")

            # the element by its name, its id under it; what went wrong in the page's language
            element = row.locator("[data-testid=incident-element]")
            assert element.inner_text().split() == [
                "Wygenerowanie",
                "aneksu",
                "/",
                "decyzji",
                "issue_decision_document",
            ]
            assert row.locator("[data-testid=incident-reason]").inner_text() == said
            # the exception's own text only once the analyst opens the detail, here from the keyboard
            assert row.locator("details code").is_hidden(), where
            assert "printer on fire" not in row.inner_text()
            row.locator("summary", has_text=detail).focus()
            page.keyboard.press("Enter")
            assert row.locator("details code", has_text="builtins.RuntimeError").is_visible(), where
            assert "printer on fire" in row.inner_text()
            assert fits_across(page, f"[data-testid=incident-{incident.pk}] :is(code, p, summary)"), where
            page.screenshot(
                path=f"{SHOTS}/walk35_{where.replace(' ', '_')}_{language}{width}.png", full_page=True
            )
            if where == "console":
                with page.expect_navigation():
                    row.get_by_role("link").first.click()
    finally:
        context.close()


def test_a_refused_outcomes_reason_names_the_end_event_and_the_timer_on_the_console(
    browser, asgi_server, analyst, client_user, acme
):
    instance = submit_request(client_user, acme).process_instance
    incident = Incident.objects.create(
        instance=instance,
        process_version_id=instance.process_version_id,
        action="timer",
        element_id="cancel_timer",
        error_class="django_fsm.TransitionNotAllowed",
        message="Can't switch from state 'waiting_for_client' using method 'approve'",
        reason_id=OUTCOME_REFUSED,
        reason_params={
            "end": "request_cancelled",
            "outcome": "approved",
            "element": "cancel_timer",
            "status": "waiting_for_client",
        },
    )
    context, page = open_as(browser, asgi_server, analyst, "/ops/")
    try:
        reason = page.locator(
            f"[data-testid=incident-{incident.pk}] [data-testid=incident-reason]"
        ).inner_text()
        assert reason.startswith(
            "Proces doszedł do zdarzenia końcowego „Anulowany: brak odpowiedzi w terminie” z wynikiem "
            "„zatwierdzony” (approved) po „Po 30 dniach bez odpowiedzi”, ale wniosek"
        ), reason
    finally:
        context.close()
