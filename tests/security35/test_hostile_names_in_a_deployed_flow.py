"""An analyst (or a stolen analyst session) deploys a flow whose task and gateway names are markup: every
page that shows those names (the staff's task list and task, the versions, the ops console and the
instance) shows them as text, never runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db
HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile_version(api_as, analyst):
    xml = (Path(settings.BASE_DIR) / "bpmn" / "other_request.bpmn").read_text(encoding="utf-8")
    xml = xml.replace(
        'name="Weryfikacja przez BOK"', f'name="{HOSTILE.replace(chr(34), "&quot;").replace("<", "&lt;")}"'
    )
    xml = xml.replace('name="Decyzja?"', 'name="&lt;script&gt;alert(3)&lt;/script&gt;"')
    response = api_as(analyst).post(
        "/api/workflows/versions/", {"bpmn_xml": xml, "process_key": "other_request"}, format="json"
    )
    assert response.status_code == 201, response.content[:2000]
    return response.json()


def test_markup_in_element_names_is_shown_as_text_on_every_page(
    hostile_version, client_user, acme, bok_staff, analyst
):
    portal_request = submit_other_request(client_user, acme)
    staff, analysts = Client(), Client()
    staff.force_login(bok_staff)
    analysts.force_login(analyst)
    instance = portal_request.process_instance_id
    pages = {
        "/staff/tasks/": staff,
        f"/staff/tasks/{portal_request.pk}/": staff,
        "/analyst/flows/other_request/versions/": analysts,
        "/analyst/flows/other_request/migrations/": analysts,
        "/analyst/flows/other_request/": analysts,
        "/ops/": analysts,
        f"/ops/instances/?version={hostile_version['id']}&stage=staff_review": analysts,
        f"/ops/instances/{instance}/": analysts,
        f"/requests/{portal_request.pk}/": None,
    }
    client = Client()
    client.force_login(client_user)
    shown = []
    for path, who in pages.items():
        response = (who or client).get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "<img src=x" not in body and "<script>alert" not in body, path
        shown.append(ESCAPED in body)
    assert any(shown)  # the name is on the pages, as text
