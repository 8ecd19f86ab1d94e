"""The ops repair page's and API's task data is JSON typed by an analyst (or posted by a stolen session):
numbers JSON cannot carry (1e999 is infinity, NaN), numbers too long to read, and absurd nesting are
refused beside the field (400), never stored, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HOSTILE = {
    "infinity_by_exponent": '{"decision": "approve", "answer": "Zgoda", "comment": 1e999}',
    "negative_infinity": '{"decision": "approve", "answer": "Zgoda", "comment": -1e999}',
    "nan": '{"decision": "approve", "answer": "Zgoda", "comment": NaN}',
    "infinity_literal": '{"decision": "approve", "answer": "Zgoda", "comment": Infinity}',
    "too_many_digits": '{"decision": "approve", "answer": "Zgoda", "comment": ' + "9" * 5000 + "}",
    "deep_nesting": '{"decision": "approve", "answer": "Zgoda", "comment": ' + "[" * 5000 + "]" * 5000 + "}",
}


def _task_data(open_request) -> dict:
    from workflows.models import ProcessInstance

    return ProcessInstance.objects.values_list("state", "version").get(pk=open_request.process_instance_id)


@pytest.mark.parametrize("name", HOSTILE)
def test_the_repair_page_refuses_json_it_cannot_keep(analyst, open_request, name):
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    before = _task_data(open_request)

    response = client.post(
        f"/ops/instances/{open_request.process_instance_id}/edit-data/",
        {"data": HOSTILE[name], "note": "korekta"},
    )

    assert response.status_code == 400
    assert _task_data(open_request) == before


@pytest.mark.parametrize("name", HOSTILE)
def test_the_repair_api_refuses_json_it_cannot_keep(analyst, open_request, name):
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    before = _task_data(open_request)

    response = client.post(
        f"/api/ops/instances/{open_request.process_instance_id}/edit-data/",
        '{"note": "korekta", "data": ' + HOSTILE[name] + "}",
        content_type="application/json",
    )

    assert response.status_code == 400, response.content[:500]
    assert _task_data(open_request) == before


def test_plain_json_is_taken_so_the_refusals_above_are_about_the_values(analyst, open_request):
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    before = _task_data(open_request)

    response = client.post(
        f"/api/ops/instances/{open_request.process_instance_id}/edit-data/",
        {"note": "korekta", "data": {"decision": "approve", "answer": "Zgoda po korekcie"}},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content[:500]
    assert _task_data(open_request) != before
