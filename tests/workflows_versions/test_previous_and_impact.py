"""The versions page says what each version changed against the one before it (not only against the
current one), and the editor's page gives the deploy's confirmation the requests on the current version
per task, which a deploy leaves there."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.workflows_versions.helpers import EARLIER_REMINDER_XML, RELABELLED_XML, ask_client, deploy_v2
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def test_each_version_shows_its_changes_against_the_previous_version(client, analyst):
    # given v2 renames a task, v3 (current) shortens the reminder on top of it
    get_current_version(KEY)
    deploy_v2(analyst, RELABELLED_XML)
    deploy_bpmn_version(xml=EARLIER_REMINDER_XML, by=analyst)
    client.force_login(analyst)

    body = client.get(reverse("flow-versions", args=[KEY])).content.decode()

    # then v3, the current one, still says what it changed against v2: the reminder only
    v3 = body.split('data-testid="version-3"')[1].split('data-testid="version-2"')[0]
    assert "Zmiany względem poprzedniej wersji (2)" in v3
    previous = v3.split('data-testid="previous-diff-summary-3"')[1].split("</details>")[0]
    assert "1 zmieniony element" in previous and "„P14D” → „P10D”" in previous
    assert "Ocena wniosku" not in previous  # v2's rename is not v3's change
    # and v2 its rename against v1, while against the current v3 it differs in the reminder
    v2 = body.split('data-testid="version-2"')[1].split('data-testid="version-1"')[0]
    assert "„Weryfikacja przez BOK” → „Ocena wniosku”" in v2.split('data-testid="previous-diff-summary-2"')[1]
    assert "„P10D” → „P14D”" in v2.split('data-testid="diff-summary-2"')[1].split("</details>")[0]
    # and v1 has no version before it
    v1 = body.split('data-testid="version-1"')[1]
    assert "To pierwsza wersja." in v1


def test_the_editor_page_counts_the_requests_on_the_current_version_per_task(
    client, analyst, api_as, client_user, bok_staff, acme_contract
):
    # given a request waiting for the client's reply on v1, the current version
    ask_client(api_as, client_user, bok_staff, acme_contract)
    client.force_login(analyst)

    body = client.get(reverse("flow-editor", args=[KEY])).content.decode()

    impact = json.loads(body.split('id="deploy-impact" type="application/json">')[1].split("</script>")[0])
    assert impact["number"] == 1 and impact["total"] == 1
    assert [task["count"] for task in impact["tasks"]] == [1]
    assert impact["tasks"][0]["label"] not in {"", "—", "client_reply"}
    # and the confirmation's sentences are there in Polish, with the link's target
    assert "realizowany jest %(count)s wniosek: %(tasks)s." in body
    assert "dopóki ktoś ich nie przeniesie" in body
    assert f'data-migrations-url="{reverse("flow-migrations", args=[KEY])}"' in body
