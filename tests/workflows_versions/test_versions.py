"""Current version vs newest, rollback, re-activation, diffs, and the analyst API over them."""

from __future__ import annotations

import pytest

from backend.core.exceptions import PortalValidationError
from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest
from tests.workflows.test_services import PAYMENT_XML, submit
from tests.workflows_versions.helpers import EARLIER_REMINDER_XML, REJECT_WAITS_XML, RELABELLED_XML, deploy_v2
from workflows import rollback, versioning
from workflows.deployment import OldVersionContent
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def test_deploy_makes_the_new_version_current_and_audits_it(analyst):
    v1 = get_current_version(KEY)

    v2 = deploy_v2(analyst)

    assert get_current_version(KEY) == v2
    audit = AuditLog.objects.get(action="workflow.deploy")
    assert (audit.user, audit.detail["from_version"], audit.detail["to_version"]) == (analyst, v1.number, 2)


def test_rollback_makes_an_earlier_version_current_new_requests_start_on_it(
    analyst, api_as, client_user, acme_contract
):
    v1 = get_current_version(KEY)
    v2 = deploy_v2(analyst)

    rollback.rollback(version=v1, by=analyst, reason="v2 gubi pytania")

    assert get_current_version(KEY) == v1
    newest = ProcessVersion.objects.filter(process_key=KEY).order_by("-number").first()
    assert newest == v2
    request = submit(api_as(client_user), acme_contract)
    assert PortalRequest.objects.get(pk=request["id"]).process_instance.process_version == v1
    audit = AuditLog.objects.get(action="workflow.rollback")
    assert audit.user == analyst
    assert audit.detail == {
        "process_key": KEY,
        "from_version": 2,
        "to_version": 1,
        "reason": "v2 gubi pytania",
    }


def test_rollback_needs_a_reason_and_another_version(analyst):
    v1 = get_current_version(KEY)
    deploy_v2(analyst)

    with pytest.raises(PortalValidationError) as no_reason:
        rollback.rollback(version=v1, by=analyst, reason="  ")
    assert "reason" in no_reason.value.fields
    v2 = get_current_version(KEY)
    with pytest.raises(PortalValidationError) as already:
        rollback.rollback(version=v2, by=analyst, reason="x")
    assert "version_id" in already.value.fields
    assert not AuditLog.objects.filter(action="workflow.rollback").exists()


def test_deploying_old_content_again_is_refused_pointing_to_the_rollback(analyst):
    # (a silent rollback without its reason: making an old version current is the rollback's, only)
    deploy_v2(analyst)

    with pytest.raises(OldVersionContent) as refused:
        deploy_bpmn_version(xml=PAYMENT_XML, by=analyst)

    assert refused.value.status == 409 and refused.value.code == "old_version_content"
    assert "wersja 1" in refused.value.message and "przywr" in refused.value.message.lower()
    assert get_current_version(KEY).number == 2
    assert not AuditLog.objects.filter(action__in=["workflow.reactivate", "workflow.rollback"]).exists()
    # deploying the current content once more changes nothing and audits nothing more
    assert deploy_bpmn_version(xml=RELABELLED_XML, by=analyst).number == 2
    assert AuditLog.objects.filter(action__startswith="workflow.").count() == 1  # v2's deploy


def test_diff_names_added_removed_and_changed_elements(analyst):
    v1 = get_current_version(KEY)
    v2 = deploy_v2(analyst, EARLIER_REMINDER_XML)

    diff = versioning.diff_versions(v1, v2)

    changed = {c["id"]: c["changes"] for c in diff["changed"]}
    assert changed["staff_review"]["name"] == {"from": "Weryfikacja przez BOK", "to": "Ocena wniosku"}
    assert changed["reminder_timer"]["timer"] == {"from": '"P14D"', "to": '"P10D"'}
    assert diff["added"] == [] and diff["removed"] == [] and not diff["same"]
    assert versioning.diff_versions(v1, v1)["same"]


# --- API ------------------------------------------------------------------------------------------


def test_api_test_run_answers_each_path_without_deploying(api_as, analyst):
    v1 = get_current_version(KEY)

    response = api_as(analyst).post(f"/api/workflows/versions/{v1.pk}/test-run/")

    assert response.status_code == 200
    body = response.json()
    assert body["passed"] is True
    assert [(p["path"], p["status"]) for p in body["paths"]] == [
        ("approve", "passed"),
        ("reject", "passed"),
        ("ask_reply_approve", "passed"),
        ("reminder", "passed"),
        ("cancel", "passed"),
    ]
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 1


def test_api_test_run_of_an_undeployed_diagram(api_as, analyst):
    api = api_as(analyst)

    failing = api.post("/api/workflows/test-run/", {"bpmn_xml": REJECT_WAITS_XML}, format="json")
    invalid = api.post("/api/workflows/test-run/", {"bpmn_xml": "<nie-bpmn/>"}, format="json")

    assert failing.status_code == 200 and failing.json()["passed"] is False
    [reject] = [p for p in failing.json()["paths"] if p["status"] == "failed"]
    assert (reject["path"], reject["element_id"]) == ("reject", "client_reply")
    assert reject["label"] == "Złożenie → odrzucenie"
    assert invalid.status_code == 400
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 1


def test_api_deploy_answers_the_test_run_and_refuses_a_failing_one(api_as, analyst):
    api = api_as(analyst)

    refused = api.post("/api/workflows/versions/", {"bpmn_xml": REJECT_WAITS_XML}, format="json")
    deployed = api.post("/api/workflows/versions/", {"bpmn_xml": EARLIER_REMINDER_XML}, format="json")

    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"client_reply"}
    assert deployed.status_code == 201
    assert deployed.json()["is_current"] is True
    assert deployed.json()["test_run"]["passed"] is True
    assert len(deployed.json()["test_run"]["paths"]) == 5


def test_api_rollback_and_diff(api_as, analyst):
    v1 = get_current_version(KEY)
    v2 = deploy_v2(analyst)
    api = api_as(analyst)

    diff = api.get(f"/api/workflows/versions/{v1.pk}/diff/?against=current")
    rolled = api.post(f"/api/workflows/versions/{v1.pk}/rollback/", {"reason": "błąd w v2"}, format="json")
    listed = api.get(f"/api/workflows/versions/?process_key={KEY}")

    assert diff.status_code == 200
    assert (diff.json()["from_version"], diff.json()["to_version"]) == (2, 1)
    assert rolled.status_code == 200 and rolled.json()["is_current"] is True
    assert {v["number"]: v["is_current"] for v in listed.json()} == {1: True, 2: False}
    assert api.get(f"/api/workflows/versions/{v2.pk}/diff/?against=abc").status_code == 400
    assert api.post(f"/api/workflows/versions/{v1.pk}/rollback/", {}, format="json").status_code == 400


def test_api_versions_endpoints_are_for_analysts_only(api_as, bok_staff, client_user):
    v1 = get_current_version(KEY)
    calls = [
        ("post", f"/api/workflows/versions/{v1.pk}/test-run/", None),
        ("post", "/api/workflows/test-run/", {"bpmn_xml": "<x/>"}),
        ("post", f"/api/workflows/versions/{v1.pk}/rollback/", {"reason": "x"}),
        ("get", f"/api/workflows/versions/{v1.pk}/diff/", None),
        ("post", "/api/workflows/instances/migrate/dry-run/", {"version_id": v1.pk, "stage": "x"}),
    ]
    for user in (bok_staff, client_user):
        api = api_as(user)
        for method, url, body in calls:
            assert getattr(api, method)(url, body, format="json").status_code == 403, (user, url)
