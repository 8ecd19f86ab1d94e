"""Every page with page links loads the one pagination style: a row of links with the current page filled
(it was only in client.css, so the staff task list and the client's requests showed a bulleted column)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def loaded_css(html: str) -> str:
    hrefs = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)">', html)
    return "\n".join(open(finders.find(href), encoding="utf-8").read() for href in hrefs)


def rule(css: str, selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, f"no rule for {selector}"
    return match.group(1)


@pytest.mark.parametrize(("who", "path"), [("bok_staff", "/staff/tasks/"), ("client_user", "/requests/")])
def test_the_pages_with_page_links_load_the_pagination_style(client, request, acme, client_user, who, path):
    # given: more than a page of requests (25 a page)
    for _ in range(26):
        submit_other_request(client_user, acme)
    client.force_login(request.getfixturevalue(who))

    # when
    html = client.get(path).content.decode()

    # then: page links in a row, the current one marked for the eye and for screen readers
    assert 'aria-current="page"><span class="visually-hidden">' in html
    css = loaded_css(html)
    assert "list-style: none" in rule(css, ".pagination ul") and "display: flex" in rule(
        css, ".pagination ul"
    )
    assert "background: var(--navy)" in rule(css, '.pagination [aria-current="page"]')
