"""A request's pages at each stage of its life (cancelled by the client; asked, answered and approved),
as the client and the back office read them in English and in Polish: the states' words, the history and
the notices are in the reader's language."""

from __future__ import annotations

import pytest

from tests.i18n35.crawl import data_strings, leftovers_on, open_as
from tests.notification_recipients.conftest import committed, flow  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db


def leftovers_of(readers, request_id: int) -> dict[str, list[str]]:
    data = data_strings()
    paths = [
        f"/requests/{request_id}/",
        f"/staff/tasks/{request_id}/",
        "/requests/",
        "/staff/tasks/",
        "/notices/",
    ]
    found = {}
    for reader in readers:
        for language in ("en", "pl"):
            browser = open_as(reader, language)
            for path in paths:
                if lines := leftovers_on(browser, path, language, data):
                    found[f"{reader.email} {language} {path}"] = lines
    return found


def test_a_requests_pages_through_its_life_are_in_one_language(flow, client_user, bok_staff):  # noqa: F811
    readers = [client_user, bok_staff]
    cancelled = flow.submit(contact_email=client_user.email)
    flow.cancel(cancelled)
    assert leftovers_of(readers, cancelled) == {}

    decided = flow.submit(contact_email=client_user.email)
    flow.ask(decided)
    assert leftovers_of(readers, decided) == {}

    flow.reply(decided)
    flow.approve(decided)
    assert leftovers_of(readers, decided) == {}
