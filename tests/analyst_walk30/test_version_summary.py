"""The versions page after the analyst walk of session 30: a difference's summary says only the counts that
are not zero ("1 zmieniony element", not "0 dodanych elementów, 0 usuniętych elementów, 1 zmieniony
element"), and the lead does not read as if the current and the newest version differed when they are one."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from portal_ui.version_views import _diff_view
from tests.logged_in_clients import logged_in
from tests.workflows_versions.helpers import deploy_v2
from workflows import versioning
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"
PAGE = f"/analyst/flows/{KEY}/versions/"


def summary(html: str, testid: str) -> str:
    return re.search(rf'<p data-testid="{testid}">(.*?)</p>', html, flags=re.S).group(1)


def lead(html: str) -> str:
    return re.search(r'<p class="lead"[^>]*>(.*?)</p>', html, flags=re.S).group(1)


def test_a_summary_says_only_what_is_not_zero_and_the_lead_one_version(analyst):
    # given version 2 (one task relabelled), current and newest
    get_current_version(KEY)
    deploy_v2(analyst)

    html = logged_in(Client(), analyst).get(PAGE).content.decode()

    assert summary(html, "previous-diff-summary-2") == "1 zmieniony element"
    assert summary(html, "diff-summary-1") == "1 zmieniony element"
    assert "0 " not in summary(html, "diff-summary-1")
    # the current version is the newest: the lead says so, not "the newest is version 2" beside it
    assert lead(html).startswith(
        "Nowe wnioski startują na bieżącej wersji (2), która jest zarazem najnowsza."
    )
    assert "najnowsza jest wersja" not in lead(html)


def test_after_a_rollback_the_lead_names_both(analyst):
    v1 = get_current_version(KEY)
    deploy_v2(analyst)
    versioning.make_current(version=v1, action=versioning.Activation.ROLLBACK)

    html = logged_in(Client(), analyst).get(PAGE).content.decode()

    assert lead(html).startswith("Nowe wnioski startują na bieżącej wersji (1); najnowsza jest wersja 2.")


def test_a_difference_only_in_forms_says_no_element_changed():
    diff = {"added": [], "removed": [], "changed": [], "forms_changed": ["payment_date_change/staff_review"]}

    with translation.override("pl"):
        polish = _diff_view(diff, {}, {})["summary"]
    with translation.override("en"):
        english = _diff_view(diff, {}, {})["summary"]

    assert (polish, english) == ("Żaden element się nie zmienił", "No element changed")
