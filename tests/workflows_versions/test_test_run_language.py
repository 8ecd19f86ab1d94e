"""A stored test run reads in the language of whoever looks at it, not the one active when it ran."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from workflows import versioning
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db

POLISH = "Ta wersja nie ma takiego zegara na zadaniu oczekującym na klienta."
ENGLISH = "This version has no such timer on the task waiting for the client."


def skipped_reasons(run: dict) -> list[str]:
    return [path["reason"] for path in run["paths"] if path["status"] == "skipped"]


def test_versions_page_shows_a_run_made_in_english_in_polish(client, analyst):
    # given the complaint flow's test run, run while English was active (it has no reminder timer)
    version = get_current_version("complaint")
    with translation.override("en"):
        run = versioning.test_version(version)
    assert any(path.status == "skipped" for path in run.paths)

    # when a Polish analyst opens the versions page
    client.force_login(analyst)
    body = client.get(reverse("flow-versions", args=["complaint"])).content.decode()

    # then the explanation and the state are in Polish, the state named as in the editor
    assert POLISH in body and ENGLISH not in body
    assert "Nie dotyczy" in body


def test_api_gives_a_run_made_in_polish_in_english(api_as, analyst):
    version = get_current_version("complaint")
    with translation.override("pl"):
        versioning.test_version(version)
    analyst.language = "en"
    analyst.save(update_fields=["language"])

    detail = api_as(analyst).get(f"/api/workflows/versions/{version.pk}/").json()

    assert ENGLISH in skipped_reasons(detail["test_run"])
    assert POLISH not in skipped_reasons(detail["test_run"])


def test_a_run_stored_before_reasons_had_ids_still_shows_its_text(client, analyst):
    # (runs stored before this change have only the text of their language)
    version = get_current_version("complaint")
    run = versioning.test_version(version).to_dict()
    for path in run["paths"]:
        path.pop("reason_id")
        path.pop("reason_params")
        if path["status"] == "skipped":
            path["reason"] = "stary powód"
    type(version).objects.filter(pk=version.pk).update(test_run=run)

    client.force_login(analyst)
    body = client.get(reverse("flow-versions", args=["complaint"])).content.decode()

    assert "stary powód" in body
