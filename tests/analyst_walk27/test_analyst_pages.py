"""The analyst's side after the outside walk (session 27): the start page is the list of process flows,
the versions name their deployer by name (e-mail on hover), the versions page's Test button reads
"Testuj wersję 2" to a screen reader, and the API says which version already holds a diagram's content
(the editor's deploy dialog asks it before it opens)."""

from __future__ import annotations

import re

import pytest
from django.test import Client as PageClient

from tests.workflows.test_services import PAYMENT_XML
from tests.workflows_versions.helpers import RELABELLED_XML, deploy_v2
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def page_as(user, url: str) -> str:
    browser = PageClient()
    browser.force_login(user)
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_analysts_start_page_lists_the_flows_with_their_versions(analyst):
    get_current_version(KEY)

    start = page_as(analyst, "/analyst/")

    # the flows themselves, each with its current version and a link to its editor, not one link away
    assert 'data-testid="flow-table"' in start
    assert 'data-testid="current-payment_date_change">v1' in start
    assert 'href="/analyst/flows/payment_date_change/"' in start
    # the list's own address still works
    assert 'data-testid="flow-table"' in page_as(analyst, "/analyst/flows/")


def test_the_versions_name_their_deployer_with_the_email_on_hover(analyst):
    analyst.first_name, analyst.last_name = "Anna", "Analityczna"
    analyst.save()
    get_current_version(KEY)
    deploy_v2(analyst)

    for url in (f"/analyst/flows/{KEY}/", f"/analyst/flows/{KEY}/versions/"):
        html = page_as(analyst, url)
        assert '<span title="analityk@leasing.example">Anna Analityczna</span>' in html, url
        assert "· analityk@leasing.example" not in html, url


def test_the_test_button_names_its_version_in_the_accusative(analyst):
    get_current_version(KEY)
    deploy_v2(analyst)

    html = page_as(analyst, f"/analyst/flows/{KEY}/versions/")

    button = re.search(r'data-testid="test-2">(.*?)</button>', html, flags=re.S).group(1)
    assert re.sub(r"<[^>]+>", "", button).strip() == "Testuj wersję 2"


def test_the_api_names_the_version_holding_a_diagrams_content(api_as, analyst):
    get_current_version(KEY)
    deploy_v2(analyst)
    api = api_as(analyst)
    url = "/api/workflows/versions/deployed-content/"

    def asked(xml: str) -> dict | None:
        response = api.post(url, {"bpmn_xml": xml, "process_key": KEY}, format="json")
        assert response.status_code == 200
        return response.json()["version"]

    # the current version's content, an older version's, and a change no version holds
    assert (asked(RELABELLED_XML)["number"], asked(RELABELLED_XML)["is_current"]) == (2, True)
    assert (asked(PAYMENT_XML)["number"], asked(PAYMENT_XML)["is_current"]) == (1, False)
    assert asked(RELABELLED_XML.replace("Ocena wniosku", "Ocena")) is None
    # a diagram that does not parse is no version's
    assert asked("<not-bpmn/>") is None
