"""The repair console opens any running request, not only an incident or an overdue one: each count of
"running requests by type, version and stage" links to the list of those requests (paginated)."""

from __future__ import annotations

import re

import pytest

from portal_ui import ops_views
from tests.logged_in_clients import browsing_as
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = pytest.mark.django_db


def test_a_count_opens_its_running_requests_each_linking_to_its_repair_page(analyst, client_user, acme):
    # given: a healthy request (no incident, not overdue)
    portal_request = submit_request(client_user, acme)
    instance = portal_request.process_instance
    browser = browsing_as(analyst)

    # when: the analyst follows the count on the console
    console = browser.get("/ops/").content.decode()
    links = re.findall(r'href="(/ops/instances/\?[^"]+)"[^>]*data-testid="count-link"', console)
    assert len(links) == 1
    listed = browser.get(links[0].replace("&amp;", "&"))

    # then: the list names the request, its client and leads to its repair page
    assert listed.status_code == 200
    page = listed.content.decode()
    assert portal_request.number in page
    assert acme.name in page
    assert f'href="/ops/instances/{instance.pk}/"' in page
    assert browser.get(f"/ops/instances/{instance.pk}/").status_code == 200


def test_the_list_is_paginated_and_refuses_unknown_versions_and_other_roles(
    analyst, bok_staff, client_user, acme, monkeypatch
):
    monkeypatch.setattr(ops_views, "INSTANCES_PAGE_SIZE", 1)
    first = submit_request(client_user, acme, n=1)
    second = submit_request(client_user, acme, n=2)
    instance = first.process_instance
    query = f"/ops/instances/?version={instance.process_version_id}&stage={instance.stage}"
    browser = browsing_as(analyst)

    page_one = browser.get(query).content.decode()
    page_two = browser.get(query + "&page=2").content.decode()

    assert first.number in page_one and second.number not in page_one
    assert second.number in page_two and 'rel="prev"' in page_two
    assert browser.get("/ops/instances/?version=999999&stage=x").status_code == 404
    assert browser.get("/ops/instances/?version=abc").status_code == 404
    assert browsing_as(bok_staff).get(query).status_code == 403
