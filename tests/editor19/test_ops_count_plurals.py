"""The repair console's counts say to a screen reader how many requests run in words that agree with the
number ("1 wniosek w toku: pokaż go", "2 wnioski…", "5 wniosków…"), not one plural form for every count."""

from __future__ import annotations

import re

import pytest
from django.test import Client as PageClient

from tests.portal_ui.test_flow_migration import submit_request

pytestmark = pytest.mark.django_db


def count_link_text(analyst) -> str:
    browser = PageClient()
    browser.force_login(analyst)
    console = browser.get("/ops/").content.decode()
    links = re.findall(r'data-testid="count-link">(.*?)</a>', console, flags=re.S)
    assert len(links) == 1
    return re.sub(r"<[^>]+>", "", links[0]).strip()


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "1 wniosek w toku: pokaż go"),
        (2, "2 wnioski w toku: pokaż je"),
        (5, "5 wniosków w toku: pokaż je"),
    ],
)
def test_the_count_link_names_its_requests_in_the_plural_of_its_number(
    analyst, client_user, acme, count, said
):
    # given: `count` running requests at the same stage of one version
    for n in range(count):
        submit_request(client_user, acme, n=n)

    # when/then: the console's count link reads as Polish agreeing with the number
    assert count_link_text(analyst) == said
