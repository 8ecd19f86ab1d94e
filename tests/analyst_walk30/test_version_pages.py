"""The versions page after the analyst's walk (session 30): a refused rollback says why inside the form of
the version refused (not only at the top of a long page, far from it), and a ticked confirmation stays
ticked when the reason is missing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.logged_in_clients import logged_in
from tests.workflows.test_services import MINIMAL_V2, store_untested_version
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def rollback(analyst, version, data: dict) -> str:
    response = logged_in(Client(), analyst).post(
        f"/analyst/flows/{KEY}/versions/{version.pk}/rollback/", data
    )
    assert response.status_code == 400
    return response.content.decode()


def test_a_rollback_refused_by_the_test_run_says_why_in_that_versions_form(analyst):
    get_current_version(KEY)
    v2 = store_untested_version(MINIMAL_V2)  # its test run fails

    html = rollback(analyst, v2, {"reason": "Powrót", "confirm": "on"})

    form = re.search(r'<form[^>]*data-testid="rollback-2".*?</form>', html, flags=re.S).group(0)
    assert 'data-testid="version-errors"' in form
    assert "Przebieg testowy nie powiódł się" in form
    # said once: not again above the versions
    assert html.count('data-testid="version-errors"') == 1


def test_a_ticked_confirmation_stays_ticked_when_the_reason_is_missing(analyst):
    get_current_version(KEY)
    v2 = store_untested_version(MINIMAL_V2)

    html = rollback(analyst, v2, {"reason": "", "confirm": "on"})

    assert 'id="reason-2-error"' in html
    assert re.search(
        r'<input type="checkbox" id="confirm-2" name="confirm" value="on" required checked', html
    )
