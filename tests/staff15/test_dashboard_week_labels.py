"""The staff dashboard's weekly chart writes its Mondays as the reader's language writes dates: 24.11 in
Polish, 11-24 (ISO) in English, never the Polish day.month on an English page."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client as PageClient

from backend.requests_app import selectors_dashboard as figures

pytestmark = pytest.mark.django_db


def week_labels(user, language: str) -> list[str]:
    user.language = language
    user.save(update_fields=["language"])
    browser = PageClient()
    browser.force_login(user)
    html = browser.get("/staff/").content.decode()
    found = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    return next(chart["labels"] for chart in json.loads(found.group(1)) if chart["id"] == "chart-weeks")


def test_the_weekly_chart_labels_follow_the_language(bok_staff):
    mondays, _opened, _decided = figures.opened_vs_decided_per_week()
    last = mondays[-1]

    english = week_labels(bok_staff, "en")
    polish = week_labels(bok_staff, "pl")

    assert english[-1] == last.strftime("%m-%d")
    assert polish[-1] == last.strftime("%d.%m")
    assert not any(re.fullmatch(r"\d\d\.\d\d", label) for label in english)
