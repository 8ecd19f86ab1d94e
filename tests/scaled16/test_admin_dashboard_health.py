"""The admin dashboard's "Stan systemu" runs the same checks as /readyz: with Redis down it names the part
that is missing, in an operator's words, instead of showing everything healthy."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from backend.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(client):
    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True))
    return client


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_with_redis_down_the_dashboard_names_what_readyz_names(admin_browser, settings):
    # given: the channel layer's Redis does not answer (a closed port)
    settings.REDIS_URL = "redis://127.0.0.1:9/0"

    # when
    ready = admin_browser.get("/readyz")
    page = admin_browser.get(reverse("staff-home")).content.decode()

    # then: /readyz is 503 naming channel_layer, and the dashboard says the same in words
    assert ready.status_code == 503
    assert ready.json()["checks"]["channel_layer"]["status"] == "error"
    alert = page[page.index('data-testid="op-failed-checks"') :]
    alert = text_of(alert[: alert.index("</div>")])
    assert "Aktualizacje na żywo (warstwa kanałów)" in alert
    assert "otwarte strony nie są odświeżane" in alert
    assert "Baza danych" not in alert  # only what is broken
    tile = page[page.index('data-testid="op-check-channel_layer"') :]
    assert "Niedostępne" in text_of(tile[: tile.index("</li>")])


def test_when_everything_answers_the_dashboard_lists_every_check_working(admin_browser):
    page = admin_browser.get(reverse("staff-home")).content.decode()

    assert 'data-testid="op-failed-checks"' not in page
    for name in ("database", "channel_layer", "broker", "rate_limits"):
        tile = page[page.index(f'data-testid="op-check-{name}"') :]
        assert "Działa" in text_of(tile[: tile.index("</li>")]), name
