"""The admin dashboard's "Stan systemu" at 1280 px: a part that is down says "Niedostępne" inside its tile
(a word, not a number: set smaller than the figures, portal_ui/static/portal_ui/staff.css)."""

from __future__ import annotations

from unittest import mock

import pytest

from backend.accounts.models import User
from backend.core import health
from backend.core.health import CheckResult
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_word_value_fits_its_status_tile_at_1280_px(page, login):
    admin = UserFactory(
        email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True, language="pl"
    )
    login(page, admin)
    page.set_viewport_size({"width": 1280, "height": 900})
    down = CheckResult(False, "broker unavailable (TimeoutError)")
    with mock.patch.dict(health.READINESS_CHECKS, {"broker": lambda: down, "channel_layer": lambda: down}):
        page.goto("/staff/")

    tile = page.locator('[data-testid="op-check-broker"]')
    assert tile.locator(".stat-value").inner_text() == "Niedostępne"
    overflow = tile.evaluate(
        "t => { const v = t.querySelector('.stat-value'); const a = t.getBoundingClientRect();"
        " const b = v.getBoundingClientRect(); return [v.scrollWidth - v.clientWidth, b.right - a.right]; }"
    )
    assert overflow[0] <= 0 and overflow[1] <= 0, overflow
