"""Every GET page of the resolver, opened by one role in one language, and the strings on it that belong to
the other language. Data is not a leftover: what people typed or the demo invented (names, addresses,
message bodies, item names, document titles), the lessor's own name and address, and the analyst's own
diagram element names."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from backend.accounts.models import User
from backend.core.lessor import get_lessor
from tests.i18n35.leftovers import (
    english_on_a_polish_page,
    polish_on_an_english_page,
    visible_lines,
)
from tests.url_routes import url_routes

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
# Not pages of the portal's own: Django admin (Django's own catalogue), the JSON API, form actions.
_NOT_PAGES = ("api/", "admin/", "i18n/")
# The bank simulator stands in for another company's site, bilingual on purpose (backend/sso/).
_OTHER_SITES = ("/bank-simulator/",)
# Notices keep the words of the moment they were written; everything else typed by people is data.
_NOT_DATA_MODELS = {"notifications.notice", "core.auditlog"}
_DIAGRAM_NAME = re.compile(r'\bname="([^"]+)"')
# The portal's name is a brand, the same in both languages; the language switch names each language in itself.
_NAMES = ["Portal Klienta", "Polski", "English"]


def page_paths(ids: dict[str, str]) -> list[str]:
    """The resolver's pages as paths, each parameter filled from `ids` (an unknown id: a 404 page)."""
    paths = set()
    for route in url_routes():
        if route.startswith(_NOT_PAGES) or "(?P" in route or "<slug:action>" in route:
            continue
        path = "/" + _PARAMETER.sub(lambda m: ids.get(m.group(2), "999999"), route)
        if not path.startswith(_OTHER_SITES):
            paths.add(path)
    return sorted(paths)


def data_strings() -> list[str]:
    """Every text people or the demo stored, and every diagram element name; longest first, so a name
    inside a longer value is not blanked out before the value."""
    values = set(_NAMES)
    for model in apps.get_models():
        if model._meta.label_lower in _NOT_DATA_MODELS:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
        ]
        for row in model._default_manager.values_list(*fields) if fields else ():
            values.update(_strings_in(row))
    for xml in apps.get_model("workflows", "ProcessVersion").objects.values_list("bpmn_xml", flat=True):
        values.update(_DIAGRAM_NAME.findall(xml))
    values.update(f"{u.first_name} {u.last_name}" for u in User.objects.all())
    values.update(str(value) for value in dataclasses.asdict(get_lessor()).values())  # the lessor's address
    return sorted((v.strip() for v in values if len(v.strip()) > 2), key=len, reverse=True)


def _strings_in(value: object) -> Iterator[str]:
    """The strings of a row, a JSON field's (a request's form answers) at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


def open_as(user: User | None, language: str) -> Client:
    """A browser of `user` (None: a visitor) working in `language` (the user's saved choice wins)."""
    browser = Client(raise_request_exception=False)
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
        browser.force_login(user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return browser


def leftovers_on(browser: Client, path: str, language: str, data: list[str]) -> list[str]:
    """The other language's lines on `path` as `browser` reads it (only HTML pages are read)."""
    response = browser.get(path)
    assert response.status_code < 500, (path, response.status_code)
    if "text/html" not in response.get("Content-Type", ""):
        return []
    lines = visible_lines(response.content.decode())
    if language == "en":
        return polish_on_an_english_page(lines, data)
    return english_on_a_polish_page(lines, data)
