"""The editor's versions after the analyst's walk (session 30): "Make this version current" on the current
version says at once that it already is, without asking for a reason first; a refusal about the version
itself (someone made it current meanwhile) reads as that refusal, not as "errors of the diagram" with a
field's name; a version that cannot be drawn is said so, not "the server could not be reached"; and on the
versions page each part of a version starts apart from the table above it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_editor_walk14 import MODELER, open_editor
from tests.workflows.test_services import MINIMAL_V2, store_untested_version
from tests.workflows_versions.helpers import deploy_v2
from workflows import rollback
from workflows.services import get_current_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "payment_date_change"


def answer_prompts(page, reply: str | None) -> list[str]:
    asked: list[str] = []

    def handle(dialog):
        asked.append(dialog.message)
        if reply is None:
            dialog.dismiss()
        else:
            dialog.accept(reply)

    page.on("dialog", handle)
    return asked


def test_the_current_version_is_said_current_before_a_reason_is_asked(page, analyst):
    errors = open_editor(page, analyst, KEY)
    asked = answer_prompts(page, "Powód")

    page.click("#rollback-version")

    result = page.locator("#editor-result.bad")
    result.wait_for()
    assert asked == []
    assert result.inner_text().startswith("Wersja 1 jest już bieżąca: na niej zaczynają się nowe wnioski."), (
        result.inner_text()
    )
    assert errors == []


def test_a_version_made_current_meanwhile_is_refused_in_words_not_as_diagram_errors(page, analyst):
    # given version 2 deployed and version 1 current again, as the page shows it
    v1 = get_current_version(KEY)
    v2 = deploy_v2(analyst)
    rollback.rollback(version=v1, by=analyst, reason="Powrót")
    open_editor(page, analyst, KEY)
    # and someone else making version 2 current meanwhile
    rollback.rollback(version=v2, by=analyst, reason="Jednak 2")
    asked = answer_prompts(page, "Nowe wnioski na 2")

    # when the analyst makes version 2 current from the editor
    page.select_option("#version-select", str(v2.pk))
    page.click("#rollback-version")

    # then the refusal says what it is, once, with no field's name
    result = page.locator("#editor-result.bad")
    result.wait_for()
    assert len(asked) == 1
    assert result.locator("p").first.inner_text() == "Wersja 2 jest już bieżąca."
    assert "version_id" not in result.inner_text()
    assert "błędy" not in result.inner_text()


def test_a_version_that_cannot_be_drawn_is_said_so_not_a_lost_server(page, analyst):
    # given version 2 whose file holds the process without its layout (bpmn-js draws nothing of it)
    get_current_version(KEY)
    v2 = store_untested_version(MINIMAL_V2)
    assert "BPMNDiagram" not in v2.bpmn_xml
    open_editor(page, analyst, KEY)
    page.wait_for_function("() => document.querySelector('#version-select').options.length > 1")

    # when the analyst opens it in the editor
    page.select_option("#version-select", str(v2.pk))
    page.click("#open-version")

    # then the page says which version cannot be shown and that their diagram stays, the library's words
    # folded away; not that the server could not be reached
    result = page.locator("#editor-result.bad")
    result.wait_for()
    said = result.locator("p").first.inner_text()
    assert said.startswith("Wersji 2 nie da się pokazać w edytorze"), said
    assert "serwerem" not in result.inner_text()
    assert result.locator("details.technical-detail pre").text_content() == "no diagram to display"
    assert page.evaluate(f"() => Boolean({MODELER}.get('elementRegistry').get('staff_review'))")


def test_a_versions_parts_start_apart_from_the_table_above(page, analyst):
    get_current_version(KEY)
    deploy_v2(analyst)
    log_in(page, analyst)
    page.goto(f"/analyst/flows/{KEY}/versions/")

    # the heading under the test run's table, and the one under "Show the elements"
    gaps = page.evaluate(
        """() => [...document.querySelectorAll('#version-1 h3')].slice(1).map(h => {
            const above = h.previousElementSibling.getBoundingClientRect();
            return h.getBoundingClientRect().top - above.bottom;
        })"""
    )

    assert len(gaps) == 2 and min(gaps) >= 16, gaps
