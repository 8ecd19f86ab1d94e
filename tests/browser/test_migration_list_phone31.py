"""On a phone the migration list's rows are cards: a request's current task keeps its id in one piece with
its name, not squeezed beside it and broken mid-word."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.portal_ui.test_flow_migration import submit_request
from workflows.services import deploy_bpmn_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYMENT_XML = (Path(__file__).resolve().parents[2] / "bpmn" / "payment_date_change.bpmn").read_text(
    encoding="utf-8"
)


def test_the_current_task_and_its_id_stay_whole_in_a_phone_card(page, login, client_user, acme, analyst):
    # given a request on version 1 and a newer version
    submit_request(client_user, acme, 1)
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    login(page, analyst)

    # when the analyst opens the list of requests to move on a phone
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/analyst/flows/payment_date_change/migrations/")

    # then the task's id is on one line, inside the card
    code = page.locator("td[data-label='Bieżące zadanie'] code").first
    box = code.bounding_box()
    line_height = code.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 20")
    assert box["height"] <= line_height * 1.5, f"{code.inner_text()} wraps"
    assert box["x"] + box["width"] <= 375
