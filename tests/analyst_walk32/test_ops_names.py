"""Walk 32: the repair page names the task whose data it edits by the task's name, as the Stage line above
it does (its id stays on that line), in Polish and in English."""

from __future__ import annotations

import re

import pytest

from tests.logged_in_clients import browsing_as
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, label",
    [
        ("pl", "Dane zadania „Weryfikacja przez BOK” (JSON, sprawdzane z jego formularzem)"),
        ("en", "Data of the task “Review by customer service” (JSON, checked against its form)"),
    ],
)
def test_the_task_data_field_names_the_task(analyst, client_user, acme, language, label):
    instance = submit_request(client_user, acme).process_instance
    analyst.language = language
    analyst.save(update_fields=["language"])

    html = browsing_as(analyst).get(f"/ops/instances/{instance.pk}/").content.decode()

    field = re.search(r'<label for="edit-data">(.*?)</label>', html, re.S).group(1)
    assert " ".join(field.split()) == label
