"""Walk 32: a rollback refused by the version's test run says on the versions page where each path stopped,
by the element's name in that version (the API keeps its fields keyed by element id)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.logged_in_clients import logged_in
from tests.workflows.test_services import PAYMENT_XML, store_untested_version
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def test_a_refused_rollback_on_the_versions_page_names_where_each_path_stopped(analyst):
    # given version 2 whose approval ends as rejected (its test run stops at the end event "Zrealizowany")
    get_current_version(KEY)
    v2 = store_untested_version(
        PAYMENT_XML.replace(
            '<spiffworkflow:property name="outcome" value="approved" />',
            '<spiffworkflow:property name="outcome" value="rejected" />',
        )
    )
    v2.checksum = "untested: approval ends rejected"  # parsed specs are cached by (id, checksum)
    v2.save(update_fields=["checksum"])

    response = logged_in(Client(), analyst).post(
        f"/analyst/flows/{KEY}/versions/{v2.pk}/rollback/", {"reason": "Powrót", "confirm": "on"}
    )

    assert response.status_code == 400
    form = re.search(r'<form[^>]*data-testid="rollback-2".*?</form>', response.content.decode(), re.S).group(
        0
    )
    errors = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", form.split('data-testid="version-errors"')[1]))
    assert "„Zrealizowany”: Złożenie → zatwierdzenie" in errors, errors
    assert "request_approved" not in errors


@pytest.mark.parametrize(
    "language, said",
    [
        ("pl", "Wersja 2 nie przeszła przebiegu testowego: zatrzymały się 2 ścieżki."),
        ("en", "Version 2 failed its test run: 2 paths stopped."),
    ],
)
def test_a_failed_test_run_counts_its_stopped_paths_in_words(analyst, language, said):
    # given version 2 whose approval ends as rejected: its two paths to an approval stop
    get_current_version(KEY)
    v2 = store_untested_version(
        PAYMENT_XML.replace(
            '<spiffworkflow:property name="outcome" value="approved" />',
            '<spiffworkflow:property name="outcome" value="rejected" />',
        )
    )
    v2.checksum = "untested: approval ends rejected, counted"
    v2.save(update_fields=["checksum"])
    analyst.language = language  # a logged-in user's pages speak the account's language
    analyst.save(update_fields=["language"])
    browser = logged_in(Client(), analyst)

    tested = browser.post(f"/analyst/flows/{KEY}/versions/{v2.pk}/test/")

    page = browser.get(tested["Location"]).content.decode()
    assert said in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))  # was "2 path(s) stopped"
