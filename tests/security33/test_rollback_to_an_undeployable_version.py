"""A rollback checks the version against today's deploy rules, not only its test run: a version stored before
a rule was tightened is refused (400 naming the element), and the current version stays."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.logged_in_clients import logged_in
from tests.workflows_versions.helpers import deploy_v2
from workflows import deployment
from workflows.engine.errors import BpmnProblem
from workflows.models import ProcessVersion
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def tighten_the_rules(monkeypatch) -> None:
    """A deploy rule added after version 1 was stored: it refuses every diagram."""
    real_checks = deployment.deploy_checks

    def tightened(**kwargs):
        check = real_checks(**kwargs)
        return lambda process, dmn: [*check(process, dmn), BpmnProblem("StartEvent_1", "A rule added since.")]

    monkeypatch.setattr(deployment, "deploy_checks", tightened)


def test_a_version_the_deploy_rules_now_refuse_is_not_made_current(api_as, analyst, monkeypatch):
    v1 = get_current_version(KEY)
    v2 = deploy_v2(analyst)
    tighten_the_rules(monkeypatch)

    response = api_as(analyst).post(
        f"/api/workflows/versions/{v1.pk}/rollback/", {"reason": "v2 gubi pytania"}, format="json"
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    assert "A rule added since." in str(response.json()["fields"])
    assert get_current_version(KEY) == v2
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 2


def test_the_versions_page_shows_the_refusal(analyst, monkeypatch):
    v1 = get_current_version(KEY)
    v2 = deploy_v2(analyst)
    tighten_the_rules(monkeypatch)

    response = logged_in(Client(), analyst).post(
        f"/analyst/flows/{KEY}/versions/{v1.pk}/rollback/", {"reason": "Powrót", "confirm": "on"}
    )

    assert response.status_code == 400
    assert "A rule added since." in response.content.decode()
    assert get_current_version(KEY) == v2
