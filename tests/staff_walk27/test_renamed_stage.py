"""A stage the analyst renamed in one flow is named by its new name in the staff's task list filter and on
the dashboard, as on the request pages (pages through Django's client)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import browsing_as
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db

OTHER_XML = (Path(__file__).resolve().parents[2] / "bpmn" / "other_request.bpmn").read_text(encoding="utf-8")
OLD_PL, OLD_EN = "Weryfikacja przez BOK", "Review by customer service"
NEW_PL, NEW_EN = "Weryfikacja wniosku przez BOK", "Request review by customer service"
RENAMED_XML = OTHER_XML.replace(f'name="{OLD_PL}"', f'name="{NEW_PL}"').replace(
    f'value="{OLD_EN}"', f'value="{NEW_EN}"'
)


def stage_options(html: str) -> dict[str, str]:
    select = re.search(r'<select[^>]*id="flt-stage".*?</select>', html, flags=re.S).group(0)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


@pytest.fixture
def renamed(api_as, analyst, client_user, acme):
    """Version 2 of the other request's flow, staff_review renamed; a request started on it."""
    assert RENAMED_XML != OTHER_XML
    deployed = api_as(analyst).post("/api/workflows/versions/", {"bpmn_xml": RENAMED_XML}, format="json")
    assert deployed.status_code == 201, deployed.json()
    return submit_other_request(client_user, acme)


def test_the_task_list_filter_and_the_dashboard_name_the_renamed_stage(bok_staff, renamed):
    staff = browsing_as(bok_staff)
    # the request page names the stage by its version (as before)
    assert NEW_PL in visible_text(staff.get(f"/staff/tasks/{renamed.pk}/").content.decode())

    # the filter's option of every type names it as each flow does now: the other flows keep the old name
    options = stage_options(staff.get("/staff/tasks/").content.decode())
    assert options["staff_review"] == f"{OLD_PL} / {NEW_PL}"
    # narrowed to the renamed flow's type: its own name only
    options = stage_options(staff.get("/staff/tasks/?kind=other_request").content.decode())
    assert options["staff_review"] == NEW_PL

    # the dashboard's stage column (and chart) the same way
    dashboard = staff.get("/staff/").content.decode()
    kind_stage = visible_text(dashboard[dashboard.index('id="kind-stage') :])
    assert f"{OLD_PL} / {NEW_PL}" in kind_stage


def test_in_english_too(bok_staff, renamed):
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    options = stage_options(browsing_as(bok_staff).get("/staff/tasks/").content.decode())
    assert options["staff_review"] == f"{OLD_EN} / {NEW_EN}"


def test_a_stage_no_flow_renamed_keeps_its_one_name(bok_staff, client_user, acme):
    submit_other_request(client_user, acme)
    options = stage_options(browsing_as(bok_staff).get("/staff/tasks/").content.decode())
    assert options["staff_review"] == OLD_PL
