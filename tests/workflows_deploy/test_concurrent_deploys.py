"""Two people editing the same version: the later deploy is refused naming the version deployed in
between (never a silent lost update); an older version's content is no silent rollback; the deploy's
answer counts the requests on the version it names."""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from backend.core.models import AuditLog
from tests.factories import UserFactory
from tests.workflows.test_services import PAYMENT_XML, submit
from workflows.models import ProcessVersion
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"
DEPLOY = "/api/workflows/versions/"
# A renames one task, B another one, both on a copy of version 1.
RENAMED_BY_A = PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku")
RENAMED_BY_B = PAYMENT_XML.replace('name="Odrzuć z uzasadnieniem"', 'name="Odrzuć z powodem"')


def deploy(api, xml: str, **extra):
    return api.post(DEPLOY, {"bpmn_xml": xml, "process_key": KEY, **extra}, format="json")


def test_a_deploy_begun_on_a_version_no_longer_current_is_refused_naming_who_deployed_since(api_as, analyst):
    # given analyst A and admin B both editing version 1, the current one
    admin = UserFactory(email="admin@leasing.example", role=User.Role.ADMIN)
    v1 = get_current_version(KEY)
    first = deploy(api_as(analyst), RENAMED_BY_A, base_version_id=v1.pk)
    assert first.status_code == 201, first.json()

    # when B deploys the copy opened before A's deploy
    second = deploy(api_as(admin), RENAMED_BY_B, base_version_id=v1.pk)

    # then it is refused in the error shape, naming version 2, who deployed it and when
    assert second.status_code == 409, second.json()
    body = second.json()
    assert body["code"] == "version_changed" and body["fields"] == {}
    assert "Wersja 2" in body["message"] and "analityk@leasing.example" in body["message"]
    assert "wersji 1" in body["message"]
    # and nothing was stored: version 2 (A's rename) stays current
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 2
    assert "Ocena wniosku" in get_current_version(KEY).bpmn_xml
    # B, carrying the change over to version 2, deploys it as version 3 keeping A's rename
    both = RENAMED_BY_B.replace("Weryfikacja przez BOK", "Ocena wniosku")
    third = deploy(api_as(admin), both, base_version_id=first.json()["id"])
    assert third.status_code == 201 and third.json()["number"] == 3


def test_a_base_version_of_another_flow_is_refused(api_as, analyst):
    other = get_current_version("complaint")

    response = deploy(api_as(analyst), RENAMED_BY_A, base_version_id=other.pk)

    assert response.status_code == 400
    assert "base_version_id" in response.json()["fields"]
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 1


def test_an_older_versions_content_is_refused_pointing_to_the_rollback(api_as, analyst):
    # given version 2 current
    v1 = get_current_version(KEY)
    v2 = deploy(api_as(analyst), RENAMED_BY_A, base_version_id=v1.pk).json()

    # when version 1's content is deployed unchanged on top of version 2
    response = deploy(api_as(analyst), PAYMENT_XML, base_version_id=v2["id"])

    # then it is refused: no silent rollback, version 2 stays current
    assert response.status_code == 409
    assert response.json()["code"] == "old_version_content"
    assert "wersja 1" in response.json()["message"]
    assert get_current_version(KEY).number == 2
    assert not AuditLog.objects.filter(action__in=["workflow.reactivate", "workflow.rollback"]).exists()


def test_the_answer_counts_the_requests_running_on_the_version(api_as, analyst, client_user, acme_contract):
    # given a request running on version 1
    v1 = get_current_version(KEY)
    submit(api_as(client_user), acme_contract)

    # when version 1's content is deployed again (it is current: the same version answers)
    same = deploy(api_as(analyst), PAYMENT_XML, base_version_id=v1.pk)

    # then its answer counts that request
    assert same.status_code == 200, same.json()
    answer = same.json()
    assert (answer["number"], answer["running_instances"], answer["all_instances"]) == (1, 1, 1)
    # and a rollback's answer counts too
    deploy(api_as(analyst), RENAMED_BY_A)
    rolled = api_as(analyst).post(f"{DEPLOY}{v1.pk}/rollback/", {"reason": "v2 błędna"}, format="json")
    assert rolled.status_code == 200 and rolled.json()["running_instances"] == 1
