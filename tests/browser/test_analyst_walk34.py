"""The analyst's words in the editor (session 34): the panel's Outcome and a refusal name an end event's
outcome alike („odrzucony” (rejected), not "rejected" beside the panel's "odrzucony"); the deploy dialog
points to "Move running requests to another version, below the editor" only where that link is, and with
the flow's one version says that it appears there after the deploy, which it then does."""

from __future__ import annotations

import pytest

from tests.browser.test_analyst_walk27 import upload
from tests.browser.test_editor_walk14 import click_and_wait, open_editor, select_element
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows.test_services import PAYMENT_XML
from tests.workflows_deploy.test_contract_outcomes import CANCELLED, REJECTED
from tests.workflows_versions.helpers import RELABELLED_XML, deploy_v2

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "payment_date_change"
MIGRATIONS = f"/analyst/flows/{KEY}/migrations/"


def test_the_panel_and_the_refusal_name_the_outcome_alike(page, analyst, tmp_path):
    open_editor(page, analyst, KEY)

    # the panel offers the rejected end event's outcome by its word
    select_element(page, "request_rejected")
    outcome = page.locator("#properties-panel [data-entry-id='portal-outcome'] select")
    outcome.wait_for()
    word = outcome.locator("option:checked").inner_text()
    assert word == "odrzucony"

    # when a diagram that lost its `rejected` end event is validated
    upload(page, tmp_path, PAYMENT_XML.replace(REJECTED, CANCELLED))
    click_and_wait(page, "#validate-flow")

    # then the refusal names the outcome by the panel's word, the XML's value after it
    said = page.locator("#editor-result").inner_text()
    assert "nie ma wyniku „odrzucony” (rejected)" in said, said
    assert "wyniku rejected" not in said


def open_deploy_dialog(page):
    page.click("#deploy-flow")
    dialog = page.locator("#deploy-dialog")
    dialog.wait_for(state="visible")
    return dialog


def test_with_one_version_the_dialog_says_the_way_to_move_comes_after_the_deploy(
    page, analyst, client_user, acme, tmp_path
):
    submit_request(client_user, acme)  # a request running on version 1, the flow's only version
    open_editor(page, analyst, KEY)
    assert page.locator(f"#versions-card a[href='{MIGRATIONS}']").count() == 0
    upload(page, tmp_path, RELABELLED_XML)

    dialog = open_deploy_dialog(page)

    # the dialog does not point below the editor, where nothing is, nor to a page listing nothing yet
    said = dialog.inner_text()
    assert "po wdrożeniu pod edytorem pojawi się „Przenieś wnioski w toku na inną wersję”" in said, said
    assert dialog.locator(f"a[href='{MIGRATIONS}']").count() == 0

    # and after the deploy it is there, as the dialog said
    click_and_wait(page, "#deploy-confirm")
    page.locator(f"#versions-card a[href='{MIGRATIONS}']").wait_for()
    assert "Wdrożono jako wersję 2." in page.locator("#editor-result").inner_text()


def test_with_two_versions_the_dialog_points_below_the_editor_where_the_link_is(
    page, analyst, client_user, acme, tmp_path
):
    deploy_v2(analyst)
    submit_request(client_user, acme)  # on version 2, the current one
    open_editor(page, analyst, KEY)
    assert page.locator(f"#versions-card a[href='{MIGRATIONS}']").count() == 1
    upload(page, tmp_path, RELABELLED_XML.replace("Ocena wniosku", "Ocena wniosku przez BOK"))

    dialog = open_deploy_dialog(page)

    said = dialog.inner_text()
    assert "(„Przenieś wnioski w toku na inną wersję”, pod edytorem)" in said, said
    assert dialog.locator(f"a[href='{MIGRATIONS}']").count() == 1
    page.click("#deploy-cancel")
