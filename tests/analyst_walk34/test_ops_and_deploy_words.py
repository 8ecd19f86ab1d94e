"""The repair page and the deploy dialog in plain words (session 34): "Move the token" (engine jargon) is
"Return the request to a task", and its success message and its task list's label say so too; the deploy
dialog's pointer to "Move running requests to another version, below the editor" is true only from two
versions on (the link is shown then), so with the current version alone the page says that the way to
move appears there after the deploy."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation

from tests.logged_in_clients import browsing_as
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows_versions.helpers import deploy_v2

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("language", "action", "choice", "done"),
    [
        (
            "pl",
            "Cofnij wniosek do zadania",
            "Zadanie, do którego wróci",
            "Wniosek wrócił do wybranego zadania.",
        ),
        (
            "en",
            "Return the request to a task",
            "The task it returns to",
            "The request is back at the chosen task.",
        ),
    ],
)
def test_the_repair_page_returns_a_request_to_a_task_without_engine_words(
    analyst, client_user, acme, language, action, choice, done
):
    instance = submit_request(client_user, acme).process_instance
    analyst.language = language
    analyst.save(update_fields=["language"])
    browser = browsing_as(analyst)

    with translation.override(language):
        page = browser.get(f"/ops/instances/{instance.pk}/").content.decode()
        form = page.split('data-testid="ops-move-token"', 1)[1].split("</form>", 1)[0]
        # the heading and the button say what it does for the request; no "token" in the page's words
        assert f"<h3>{action}</h3>" in form
        assert f'<button type="submit" class="button">{action}</button>' in form
        # the task list's label names what is chosen (it read "Wróć do zadania", an order to the reader)
        assert f'<label for="move-task">{choice}</label>' in form
        assert "token" not in text_of(page).lower()

        moved = browser.post(
            f"/ops/instances/{instance.pk}/move-token/", {"task": "staff_review"}, follow=True
        ).content.decode()
    assert done in moved
    assert "token" not in text_of(moved).lower()


def impact_of(analyst) -> tuple[dict, str]:
    page = browsing_as(analyst).get("/analyst/flows/payment_date_change/").content.decode()
    data = page.split('<script id="deploy-impact" type="application/json">', 1)[1].split("</script>", 1)[0]
    return json.loads(data), page


def test_the_deploy_dialog_says_where_to_move_requests_only_where_the_link_is(analyst, client_user, acme):
    analyst.language = "pl"
    analyst.save(update_fields=["language"])
    submit_request(client_user, acme)

    # given the flow's one version: no link to move requests below the editor
    impact, page = impact_of(analyst)
    assert "/analyst/flows/payment_date_change/migrations/" not in page.split('id="versions-card"', 1)[1]
    # then the dialog's data says so, and its sentence for that case says the link comes after the deploy
    assert (impact["only_version"], impact["total"]) == (True, 1)
    assert (
        'data-text-impact-stay-first-one="Pozostanie na wersji %(n)s, dopóki ktoś go nie przeniesie na nową '
        'wersję: po wdrożeniu pod edytorem pojawi się „Przenieś wnioski w toku na inną wersję”."'
    ) in page

    # given a second version: the link is below the editor, and the dialog may point to it
    deploy_v2(analyst)
    impact, page = impact_of(analyst)
    assert "/analyst/flows/payment_date_change/migrations/" in page.split('id="versions-card"', 1)[1]
    assert impact["only_version"] is False


def test_the_repair_pages_titles_and_messages_name_the_request_not_an_instance(analyst, client_user, acme):
    analyst.language = "pl"
    analyst.save(update_fields=["language"])
    portal_request = submit_request(client_user, acme)
    instance = portal_request.process_instance
    browser = browsing_as(analyst)

    # the tab names the request as the heading does (it read "Naprawa · #3")
    page = browser.get(f"/ops/instances/{instance.pk}/").content.decode()
    assert f"<title>Naprawa {portal_request.number} · " in page
    cancel = browser.get(f"/ops/instances/{instance.pk}/cancel/").content.decode()
    assert f"<title>Anulować wniosek {portal_request.number}? · " in cancel

    # and what suspending, resuming and cancelling say has no "instancja"
    said = [
        browser.post(f"/ops/instances/{instance.pk}/{action}/", form, follow=True).content.decode()
        for action, form in [
            ("suspend", {"note": "Sprawdzamy drukarkę", "confirmed": "yes"}),
            ("resume", {}),
            ("cancel", {"reason": "Duplikat wniosku", "confirmed": "yes"}),
        ]
    ]
    assert "Wstrzymano: do wznowienia żaden krok się nie wykona." in said[0]
    assert "Wznowiono: kroki znów się wykonują." in said[1]
    assert "Anulowano na dobre." in said[2]
    assert not [text for text in said if "nstancj" in text_of(text)]
