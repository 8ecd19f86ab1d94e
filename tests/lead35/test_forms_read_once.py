"""A deployed version's task form is normalised once per process (workflows.forms.version_form: every step
read it and walked its rules again), and the staff task page reads the waiting review form once for both
what it asks of an approval's answer and each decision text's floor (it read and normalised it twice)."""

from __future__ import annotations

import pytest

from backend.requests_app.decisions import decision_field_rules
from backend.requests_app.models import PortalRequest
from tests.request_helpers import submit_other_request
from workflows import forms
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def walks(monkeypatch):
    calls: list[object] = []
    real = forms.rules_on_given_values

    def counted(schema):
        if isinstance(schema, dict) and "$schema" in schema:  # a whole form, not one of its rules
            calls.append(schema)
        return real(schema)

    monkeypatch.setattr(forms, "rules_on_given_values", counted)
    return calls


def _review(client_user, acme) -> PortalRequest:
    review = submit_other_request(client_user, acme)
    return PortalRequest.objects.select_related("process_instance__process_version").get(pk=review.pk)


def test_a_versions_form_is_normalised_once_and_read_from_the_cache_after(client_user, acme, walks):
    version = _review(client_user, acme).process_instance.process_version
    key = next(key for key in version.forms if key.endswith("staff_review"))
    forms._version_forms.clear()

    first = forms.version_form(version, key)
    again = forms.version_form(ProcessVersion.objects.get(pk=version.pk), key)

    assert len(walks) == 1
    assert again == first and "required" in first["allOf"][0]["if"]


def test_a_form_rewritten_in_place_is_read_anew(client_user, acme, walks):
    version = _review(client_user, acme).process_instance.process_version
    key = next(key for key in version.forms if key.endswith("staff_review"))
    forms.version_form(version, key)
    rewritten = {**version.forms, key: {**version.forms[key], "title": "Przepisany"}}
    ProcessVersion.objects.filter(pk=version.pk).update(forms=rewritten)

    read = forms.version_form(ProcessVersion.objects.get(pk=version.pk), key)

    assert read["title"] == "Przepisany"


def test_the_task_page_reads_the_review_form_once(client_user, acme, monkeypatch):
    from backend.requests_app import decisions

    portal_request = _review(client_user, acme)
    reads: list[str] = []
    real = decisions.get_task_form
    monkeypatch.setattr(
        decisions, "get_task_form", lambda instance, name: reads.append(name) or real(instance, name)
    )

    rules = decision_field_rules(portal_request)

    assert reads == ["staff_review"]
    assert rules.answer_required is True  # another matter's approval answers the client
    assert rules.min_lengths == {"question": 3, "reason": 3, "answer": 3}


def test_no_rules_when_staff_cannot_decide(client_user, acme, monkeypatch):
    from backend.requests_app import decisions

    portal_request = _review(client_user, acme)
    portal_request.process_instance.suspended = True
    monkeypatch.setattr(decisions, "get_task_form", lambda *args: pytest.fail("read"))

    assert decision_field_rules(portal_request) == decisions.DecisionFieldRules()
