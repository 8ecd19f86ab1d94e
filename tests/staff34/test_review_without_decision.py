"""A staff review completed without a decision was refused with four errors: "decision" and, beside it, the
reason, the question and the answer. Each review form's rule "when the decision is reject, the reason is
required" was written `if: {properties: {decision: {const: "reject"}}}`, which JSON Schema holds when no
decision is given at all. The shipped forms now say `required` in their `if`, and a version deployed
before keeps its stored copy but is read through workflows.forms.version_form, which makes such an `if`
apply only to a decision given: one error, at the decision."""

from __future__ import annotations

import copy
import re

import pytest

from tests.request_helpers import submit_other_request
from workflows import deployment
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db

REQUIRED = "To pole jest wymagane."


def _as_deployed_before(schema: dict) -> dict:
    """The review form as versions deployed before this session store it: no `required` in its `if`."""
    old = copy.deepcopy(schema)
    for rule in old.get("allOf", []):
        rule.get("if", {}).pop("required", None)
    return old


@pytest.fixture
def version_cache():
    """Versions are cached by id and checksum, which a test's rolled-back rows reuse: start and end empty."""
    deployment._versions.clear()
    yield
    deployment._versions.clear()


@pytest.fixture
def review(client_user, acme, version_cache):
    return submit_other_request(client_user, acme)


def _deployed_before(portal_request) -> None:
    version = ProcessVersion.objects.get(pk=portal_request.process_instance.process_version_id)
    forms = {key: _as_deployed_before(schema) for key, schema in version.forms.items()}
    ProcessVersion.objects.filter(pk=version.pk).update(forms=forms)
    deployment._versions.clear()


@pytest.mark.parametrize("deployed_before", [False, True], ids=["shipped", "deployed-before"])
@pytest.mark.parametrize("data", [{}, {"comment": "Sprawdzone"}], ids=["empty", "comment-only"])
def test_the_api_refuses_a_review_without_a_decision_at_the_decision_alone(
    api_as, bok_staff, review, deployed_before, data
):
    if deployed_before:
        _deployed_before(review)

    response = api_as(bok_staff).post(
        f"/api/staff/requests/{review.pk}/complete/", {"data": data}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"decision": [REQUIRED]}


def test_a_decision_still_requires_its_text(api_as, bok_staff, review, version_cache):
    _deployed_before(review)

    response = api_as(bok_staff).post(
        f"/api/staff/requests/{review.pk}/complete/", {"data": {"decision": "reject"}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"reason": [REQUIRED]}


def test_the_ops_page_refuses_review_data_without_a_decision_with_one_error(client, analyst, review):
    _deployed_before(review)
    client.force_login(analyst)

    response = client.post(
        f"/ops/instances/{review.process_instance_id}/edit-data/", {"data": '{"comment": "Sprawdzone"}'}
    )

    assert response.status_code == 400
    errors = re.search(
        r'<ul class="errorlist" id="err-edit-data">(.*?)</ul>', response.content.decode(), re.S
    )
    assert re.findall(r"<li>(.*?)</li>", errors.group(1)) == [f"decision: {REQUIRED}"]
