"""The analyst's pages of moving requests after the walk of session 30: the menu marks "Process flows" on
every page of a flow (the moves, a refused rollback), a refused batch move comes back with each reason
beside its field and the ticks kept, "every request of one version" offers the versions that have some, and
a dry run's empty timer cell is a dash, not a list of one."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from backend.requests_app.models import RequestEvent
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows.test_services import MINIMAL_V2, store_untested_version
from tests.workflows_versions.helpers import deploy_v2

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"
LIST = f"/analyst/flows/{KEY}/migrations/"
BATCH = f"/analyst/flows/{KEY}/migrations/batch/"


def current_nav(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', html)


@pytest.fixture
def moved_from(client_user, acme, analyst):
    """Two requests on version 1, and version 2 current."""
    requests = [submit_request(client_user, acme, 1), submit_request(client_user, acme, 2)]
    v2 = deploy_v2(analyst)
    return requests, v2


def test_every_page_of_a_flow_marks_process_flows_in_the_menu(analyst, moved_from):
    (first, _), v2 = moved_from
    browser = logged_in(Client(), analyst)
    v1 = first.process_instance.process_version

    pages = [
        browser.get(LIST),
        browser.get(f"{LIST}{first.process_instance_id}/"),
        # a move refused (no confirmation) and a rollback refused (no reason) stay at the POST's address
        browser.post(f"{LIST}{first.process_instance_id}/", {"version_id": v2.pk}),
        browser.post(f"/analyst/flows/{KEY}/versions/{v1.pk}/rollback/", {}),
        browser.post(BATCH, {"version_id": v2.pk}),
    ]

    for response in pages:
        assert current_nav(response.content.decode()) == ["Procesy"], response.request["PATH_INFO"]


def test_a_refused_batch_says_why_beside_each_field_and_keeps_the_ticks(analyst, moved_from):
    (first, second), v2 = moved_from
    browser = logged_in(Client(), analyst)

    # when the analyst ticks one request and moves it without confirming
    response = browser.post(
        f"{BATCH}?page=1", {"instance_ids": [first.process_instance_id], "version_id": v2.pk}
    )

    # then nothing moves, and the page says why beside the confirmation, above the form too
    assert response.status_code == 400
    assert not RequestEvent.objects.filter(kind=RequestEvent.Kind.MIGRATED).exists()
    html = response.content.decode()
    assert '<ul class="errorlist" id="batch-confirm-error"><li>Potwierdź, że wnioski' in html
    assert 'id="batch-confirm" name="confirm" value="on" aria-invalid="true"' in html
    assert 'href="#batch-confirm">Potwierdzenie: Potwierdź, że wnioski' in html
    # and the tick is still there (the other request stays unticked), the target as chosen
    assert f'id="pick-{first.process_instance_id}" checked' in html
    assert f'id="pick-{second.process_instance_id}" aria-label' in html
    assert f'<option value="{v2.pk}" selected>' in html
    # (said in the form, not in a message at the top of the page, far from it)
    assert 'class="messages"' not in html


def test_a_refused_batch_of_a_whole_version_keeps_that_choice(analyst, moved_from):
    (first, _), v2 = moved_from
    browser = logged_in(Client(), analyst)
    v1 = first.process_instance.process_version

    # every request of version 2 onto version 2: nothing to move, said beside the version chosen
    html = browser.post(
        BATCH, {"scope": "version", "from_version_id": v2.pk, "version_id": v2.pk, "confirm": "on"}
    ).content.decode()

    assert 'id="batch-scope-version" name="scope" value="version" checked' in html
    assert 'id="batch-from-error"><li>Wnioski już działają na wybranej wersji.' in html
    assert 'id="batch-confirm" name="confirm" value="on" checked' in html
    # nothing ticked with the table's scope: said beside that choice
    html = browser.post(
        BATCH, {"version_id": v2.pk, "from_version_id": v1.pk, "confirm": "on"}
    ).content.decode()
    assert 'id="batch-scope-selected-error"><li>Zaznacz wnioski do przeniesienia' in html


def test_the_batch_address_opened_by_a_link_is_the_list(analyst, moved_from):
    browser = logged_in(Client(), analyst)

    # a refused batch's page has the batch's address; its pagination links keep the list's query
    response = browser.get(f"{BATCH}?page=2")

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?page=2"


def test_a_dry_run_without_timers_shows_a_dash_not_a_list(analyst, moved_from):
    (first, _), _v2 = moved_from
    browser = logged_in(Client(), analyst)

    html = browser.get(f"{LIST}{first.process_instance_id}/").content.decode()

    row = re.search(r'data-testid="dry-run-v2">(.*?)</tr>', html, flags=re.S).group(1)
    assert "<li>—</li>" not in row
    assert re.search(r'data-label="Terminy zegarów teraz">—</td>', row), row


def test_every_request_of_one_version_offers_the_versions_with_running_requests(analyst, moved_from):
    (first, _), _v2 = moved_from
    v1 = first.process_instance.process_version
    # a newer version that is not current and runs nothing (listed first, newest first)
    store_untested_version(MINIMAL_V2)

    html = logged_in(Client(), analyst).get(LIST).content.decode()

    select = re.search(r'<select id="batch-from".*?</select>', html, flags=re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["v1 · 2 wnioski w toku"]
    assert f'value="{v1.pk}"' in select
