"""The API's paths grouped by their first segment (backend/config/urls.py): same names, same views."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path, resolve, reverse

from backend.config.urls import API_URL_MODULES, grouped_by_first_segment


def test_every_api_path_of_every_app_reaches_its_view_under_its_name():
    # (every name is the API's own: a page of the same name would win reverse())
    checked = 0
    for module in API_URL_MODULES:
        for pattern in import_module(module).urlpatterns:
            sample = {name: converter.to_url(7) for name, converter in pattern.pattern.converters.items()}
            url = reverse(pattern.name, kwargs=sample)
            assert url.startswith("/api/" + str(pattern.pattern).split("/")[0] + "/"), url
            match = resolve(url)
            assert match.func is pattern.callback, url
            assert match.url_name == pattern.name
            checked += 1
    assert checked > 80


def test_a_path_whose_first_segment_is_not_literal_is_refused(tmp_path, monkeypatch):
    module = type("M", (), {"urlpatterns": [path("<int:pk>/x/", lambda request: None, name="x")]})
    monkeypatch.setitem(__import__("sys").modules, "tests_fake_urls", module)
    with pytest.raises(ImproperlyConfigured):
        grouped_by_first_segment(["tests_fake_urls"])
