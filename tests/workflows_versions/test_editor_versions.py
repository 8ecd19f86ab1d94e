"""The flow editor and the versions page after a rollback and after moves: the editor opens the current
version (not the newest one rolled back from), a version whose requests were moved away says so rather than
"0 in all", and a request's status in the editor's table is the request's own (a rejected one is rejected)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from backend.requests_app import version_moves
from backend.requests_app.models import PortalRequest
from tests.workflows.test_services import submit
from tests.workflows_versions.helpers import RELABELLED_XML, deploy_v2
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def editor_xml(body: str) -> str:
    return json.loads(
        re.search(r'<script id="bpmn-xml" type="application/json">(.*?)</script>', body, re.S)[1]
    )


def version_box(body: str, number: int) -> str:
    return body.split(f'data-testid="version-box-{number}"')[1].split("</details>")[0]


def roll_back_to_v1(client, analyst) -> tuple[ProcessVersion, ProcessVersion]:
    v2 = deploy_v2(analyst, RELABELLED_XML)  # passes its test run: current
    v1 = ProcessVersion.objects.get(process_key=KEY, number=1)
    client.force_login(analyst)
    response = client.post(
        reverse("flow-version-rollback", args=[KEY, v1.pk]), {"reason": "v2 ma złą etykietę", "confirm": "on"}
    )
    assert response.status_code == 302
    return v1, v2


def test_after_a_rollback_the_editor_opens_the_current_version_not_the_newer_one(client, analyst):
    # given version 2 deployed, then version 1 current again
    v1, v2 = roll_back_to_v1(client, analyst)

    # when the analyst opens the flow's editor
    body = get(client, analyst, reverse("flow-editor", args=[KEY]))

    # then the diagram and the version chosen are version 1's, and version 2 is named as newer, not current
    assert "Ocena wniosku" not in editor_xml(body) and "Weryfikacja przez BOK" in editor_xml(body)
    assert f'data-version-id="{v1.pk}"' in body
    assert f'<option value="{v1.pk}" data-number="1">v1 · bieżąca</option>' in body
    lead = body.split('data-testid="editing-version"')[1].split("</p>")[0]
    assert "Edytujesz kopię wersji 1, bieżącej." in lead
    assert "Wersja 2 jest nowsza, ale nie jest bieżąca" in lead
    assert 'data-text-version-newer="v%(n)s · nowsza, nie bieżąca"' in body
    # the current version's box is the one open
    assert '<details class="version-box" open data-testid="version-box-1">' in body
    assert '<details class="version-box" data-testid="version-box-2">' in body


def test_the_move_form_names_the_current_version_and_the_newer_one(
    client, analyst, api_as, client_user, acme_contract
):
    # given a request on version 1; versions 2 and 3 deployed, then version 2 current again
    request = submit(api_as(client_user), acme_contract)
    v2 = deploy_v2(analyst, RELABELLED_XML)
    v3 = deploy_bpmn_version(xml=RELABELLED_XML.replace("Ocena wniosku", "Ocena v3"), by=analyst)
    client.force_login(analyst)
    client.post(reverse("flow-version-rollback", args=[KEY, v2.pk]), {"reason": "v3 zła", "confirm": "on"})
    instance = PortalRequest.objects.get(pk=request["id"]).process_instance

    # when the analyst opens the move form of the request on version 1
    body = get(client, analyst, reverse("flow-migration", args=[KEY, instance.pk]))

    # then version 2 is chosen and named current; version 3 is named newest, not current
    options = dict(re.findall(r'<option value="(\d+)"[^>]*>(v\d[^<]*)</option>', body))
    assert options[str(v2.pk)].endswith("(bieżąca)")
    assert options[str(v3.pk)].endswith("(najnowsza, nie bieżąca)")
    assert f'<option value="{v2.pk}" selected>' in body
    assert "Wersja, na której działa" in body


def test_a_version_whose_requests_moved_away_says_so_on_the_editor_and_versions_pages(
    client, analyst, api_as, client_user, acme_contract
):
    # given a request started on version 1 and moved to version 2
    request = submit(api_as(client_user), acme_contract)
    v2 = deploy_v2(analyst, RELABELLED_XML)
    instance_id = PortalRequest.objects.get(pk=request["id"]).process_instance_id
    version_moves.migrate_instance(instance_id=instance_id, to_version=v2, by=analyst)

    # when the analyst opens the editor and the versions page
    editor = get(client, analyst, reverse("flow-editor", args=[KEY]))
    versions = get(client, analyst, reverse("flow-versions", args=[KEY]))

    # then version 1 says a request was moved from it, not only "0 / 0"
    v1_box = version_box(editor, 1)
    assert "przeniesione na inną wersję: 1" in v1_box
    assert "Na tej wersji nie ma teraz żadnego wniosku; 1 przeniesiono na inną wersję." in v1_box
    assert "Na tej wersji nie jest realizowany żaden wniosek" not in v1_box
    v1_card = versions.split('data-testid="version-1"')[1]
    assert 'data-testid="moved-away-1">przeniesione na inną wersję: 1<' in v1_card
    # and version 2, where it runs now, counts it as running there and moved from nowhere
    assert "1 wniosek w toku / 1 łącznie" in version_box(editor, 2)
    assert "przeniesione" not in version_box(editor, 2)


def test_the_editors_table_shows_a_rejected_request_as_rejected(
    client, analyst, api_as, client_user, bok_staff, acme_contract
):
    # given a request staff rejected (its process ended: the instance is "completed")
    request = submit(api_as(client_user), acme_contract)
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request['id']}/reject/", {"reason": "Brak podstaw."}, format="json"
    )
    assert response.status_code == 200, response.json()

    # when the analyst opens the editor
    row = version_box(get(client, analyst, reverse("flow-editor", args=[KEY])), 1).split(request["number"])[1]

    # then its status is the request's: rejected, not the approved end's "completed"
    status = re.split(r"<td[^>]*>", row)[1].split("</td>")[0]  # a cell may carry its phone label
    assert status == "Odrzucony"
