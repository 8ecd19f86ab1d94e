"""Walk 35: the repair console and a request's repair page name an incident's element by its name on the
canvas (its id below it, as the Stage line shows a stage), and a step that failed on a technical error says
so in the page's language, the error's own English text kept under "Technical detail"; before, a Polish page
showed `issue_decision_document` and `builtins.RuntimeError printer on fire (1)` and nothing else."""

from __future__ import annotations

import re

import pytest

from tests.logged_in_clients import browsing_as
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import Incident, IncidentState, ProcessInstance

pytestmark = pytest.mark.django_db


def failed_step(client_user, acme, element_id: str = "issue_decision_document") -> Incident:
    instance = submit_request(client_user, acme).process_instance
    ProcessInstance.objects.filter(pk=instance.pk).update(incident_state=IncidentState.OPEN)
    return Incident.objects.create(
        instance=instance,
        process_version_id=instance.process_version_id,
        action="approve",
        element_id=element_id,
        error_class="builtins.RuntimeError",
        message="printer on fire",
        attempts=3,
    )


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def incident_html(html: str, incident: Incident) -> str:
    found = re.search(rf'data-testid="incident-{incident.pk}">(.*?)</(tr|li)>', html, re.S)
    assert found, html
    return found.group(1)


def detail_of(html: str) -> str:
    return text_of(re.search(r"<details>(.*?)</details>", html, re.S).group(1))


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("pl", "Krok nie wykonał się z powodu błędu technicznego."),
        ("en", "The step did not run because of a technical error."),
    ],
)
@pytest.mark.parametrize("page", ["console", "instance"])
def test_a_technical_failure_is_said_in_words_its_element_by_name(
    analyst, client_user, acme, language, said, page
):
    incident = failed_step(client_user, acme)
    analyst.language = language
    analyst.save(update_fields=["language"])
    url = "/ops/" if page == "console" else f"/ops/instances/{incident.instance_id}/"

    row = incident_html(browsing_as(analyst).get(url).content.decode(), incident)

    # the element by its name in the diagram, its id below it
    element = re.search(r'data-testid="incident-element">(.*?)</span>', row, re.S)
    assert element, row
    assert text_of(element.group(1)) == "Wygenerowanie aneksu / decyzji issue_decision_document"
    assert '<code class="ops-id">issue_decision_document</code>' in element.group(1)
    # what went wrong in words; the exception's class and text only under the technical detail
    reason = re.search(r'data-testid="incident-reason">(.*?)</p>', row, re.S).group(1)
    assert text_of(reason) == said
    assert detail_of(row).endswith("builtins.RuntimeError printer on fire")
    assert "RuntimeError" not in text_of(re.sub(r"<details>.*?</details>", "", row, flags=re.S))


def test_the_repair_page_says_what_its_count_of_attempts_is(analyst, client_user, acme):
    incident = failed_step(client_user, acme)

    row = incident_html(
        browsing_as(analyst).get(f"/ops/instances/{incident.instance_id}/").content.decode(), incident
    )

    # "(3)" after the error said nothing of what was counted
    assert "Próby: 3" in text_of(row)
    assert "(3)" not in text_of(row)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_user_tasks_incident_is_named_as_the_stage_line_names_it(analyst, client_user, acme, language):
    incident = failed_step(client_user, acme, element_id="staff_review")
    analyst.language = language
    analyst.save(update_fields=["language"])

    html = browsing_as(analyst).get(f"/ops/instances/{incident.instance_id}/").content.decode()

    stage = text_of(re.search(r'data-testid="ops-stage">(.*?)</dd>', html, re.S).group(1))
    element = text_of(
        re.search(r'data-testid="incident-element">(.*?)</span>', incident_html(html, incident), re.S).group(
            1
        )
    )
    assert element == stage  # "Review by customer service staff_review" on an English page


def test_an_element_the_version_does_not_name_keeps_its_id(analyst, client_user, acme):
    incident = failed_step(client_user, acme, element_id="no_such_element")

    row = incident_html(browsing_as(analyst).get("/ops/").content.decode(), incident)

    assert '<code data-testid="incident-element">no_such_element</code>' in row
