"""The staff dashboard and task list speak plain professional English; the Polish stays as it was."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.client_correctness.helpers import visible_text

pytestmark = pytest.mark.django_db


def page(user, url: str, lang: str) -> str:
    user.language = lang  # a logged-in user's saved language wins over the cookie
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return visible_text(client.get(url).content.decode())


def test_the_dashboard_in_english(bok_staff):
    dashboard = page(bok_staff, "/staff/", "en")
    for said in ("Who acts next", "Waiting for customer service", "Charts"):
        assert said in dashboard
    for odd in ("holds the ball", "In pictures", "Waiting for us"):
        assert odd not in dashboard
    tasks = page(bok_staff, "/staff/tasks/", "en")
    assert "Waiting for customer service" in tasks and "Waiting for us" not in tasks
    waiting = page(bok_staff, "/staff/tasks/?scope=client", "en")
    assert "We asked the client a question and wait for the reply." in waiting
    assert "holds the ball" not in waiting


def test_the_dashboard_in_polish_is_unchanged(bok_staff):
    dashboard = page(bok_staff, "/staff/", "pl")
    for said in ("Kto teraz działa", "Czeka na pracowników", "Na wykresach"):
        assert said in dashboard
    assert "Czeka na pracowników" in page(bok_staff, "/staff/tasks/", "pl")
    waiting = page(bok_staff, "/staff/tasks/?scope=client", "pl")
    assert "Zadaliśmy klientowi pytanie i czekamy na jego odpowiedź." in waiting
