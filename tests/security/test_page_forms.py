"""Every page form, filled with hostile values, answers without a server error.

The pages' counterpart of the schemathesis run: each role crawls the pages it can reach from its home (links,
up to PAGES_PER_ROLE), and every form found (POST forms and GET filters) is sent VARIANTS times with its
hidden fields kept and every other field given a value from HOSTILE (huge and negative numbers, impossible dates, long
text, markup, a NUL). An answer may refuse (4xx) or accept (2xx, 3xx); a 5xx is a failure, named with the
form and the values. `PORTAL_FUZZ_EXAMPLES` (`make fuzz`) raises the number of variants.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.requests_app.helpers import PDF_BYTES
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 60
VARIANTS = max(2, int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "2")) // 2)
HOSTILE = [
    "",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e400",
    "NaN",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "x" * 5000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "a\x00b",
    "１２",
    "²",
    "-0,01",
    "1 000 000,999",
    "../../etc/passwd",
]
# Not crawled or posted: leaving the session, other apps, files and the bank's own pages.
SKIPPED = (
    "/logout/",
    "/admin/",
    "/api/",
    "/static/",
    "/i18n/",
    "/bank-simulator/",
    "/reply/",
    "calendar.ics",
)


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, list[str]]] = field(default_factory=list)  # name, type, values


class PageParser(HTMLParser):
    """The links and forms of a page (inputs, text areas and selects with their options)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: list[str] | None = None

    def handle_starttag(self, tag: str, attributes: list) -> None:
        attrs = {name: value or "" for name, value in attributes}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form(attrs.get("action", ""), (attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and attrs.get("name"):
            if tag == "input":
                self._form.fields.append((attrs["name"], attrs.get("type", "text"), [attrs.get("value", "")]))
            elif tag == "textarea":
                self._form.fields.append((attrs["name"], "textarea", [""]))
            elif tag == "select":
                self._select = []
                self._form.fields.append((attrs["name"], "select", self._select))
        if tag == "option" and self._select is not None:
            self._select.append(attrs.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _hostile_values(form: Form, rng: random.Random) -> dict[str, object]:
    """The form's hidden fields as they are, a hostile value (or a real option) in every other."""
    data: dict[str, object] = {}
    for name, kind, values in form.fields:
        if kind == "hidden":
            data[name] = values[0]
        elif kind == "file":
            data[name] = SimpleUploadedFile("skan.pdf", PDF_BYTES, content_type="application/pdf")
        elif kind in {"checkbox", "radio"}:
            if rng.random() < 0.5:
                data[name] = values[0] or "on"
        elif kind == "select":
            data[name] = rng.choice([*values, rng.choice(HOSTILE)]) if values else rng.choice(HOSTILE)
        elif kind not in {"submit", "button", "reset"}:
            data[name] = rng.choice(HOSTILE)
    return data


def _inside(url: str) -> bool:
    parts = urlsplit(url)
    return parts.netloc in {"", "testserver"} and not any(part in url for part in SKIPPED)


def crawl_and_submit(browser: Client, start: str, rng: random.Random) -> tuple[list[str], int, int]:
    """Crawl from `start`; send every form found. Return the failures, pages seen and forms sent."""
    failures: list[str] = []
    seen: set[str] = set()
    queue = [start]
    sent = 0
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = browser.get(url, follow=True)
        if response.status_code >= 500:
            failures.append(f"GET {url} → {response.status_code}")
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = PageParser()
        page.feed(response.content.decode())
        for link in page.links:
            target = urljoin(url, link)
            if _inside(target):
                parts = urlsplit(target)
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        for form in page.forms:
            action = urlsplit(urljoin(url, form.action or url)).path
            if not _inside(action):
                continue
            for _ in range(VARIANTS):
                data = _hostile_values(form, rng)
                if form.method == "post":
                    answer = browser.post(action, data)  # multipart, as a form with a file sends it
                else:  # a filter: the values go into the query string
                    data = {name: value for name, value in data.items() if isinstance(value, str)}
                    answer = browser.get(action, data)
                sent += 1
                if answer.status_code >= 500:
                    shown = {name: str(value)[:20] for name, value in data.items()}
                    failures.append(
                        f"{form.method.upper()} {action} (form on {url}) → {answer.status_code}: {shown}"
                    )
    return failures, len(seen), sent


def test_no_page_form_answers_hostile_values_with_a_server_error():
    world = build_world()
    roles = [
        (world.a.user, "/"),
        (world.dual, "/"),
        (world.fleet_manager_b, "/"),
        (world.staff, "/staff/"),
        (world.analyst, "/analyst/"),
    ]
    failures, pages, sent = [], 0, 0
    for user, start in roles:
        browser = Client(raise_request_exception=False)
        browser.force_login(user)
        found, seen, posted = crawl_and_submit(browser, start, random.Random(f"{user.email}-forms"))
        failures += [f"{user.email}: {failure}" for failure in found]
        pages, sent = pages + seen, sent + posted

    assert failures == [], "\n".join(failures)
    assert pages > 100 and sent > 100, (pages, sent)  # the crawl reached the pages and their forms
