"""Every notice, page by page: the bell shows the newest ten, the notices page all of them (only the
unread ones on request), each linking to its page, and "mark all as read". A client user sees the notices
of the company they act for, as the bell does."""

from __future__ import annotations

import re

import pytest
from django.test import Client as PageClient

from notifications.models import Notice
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def notices_for(user, client, count: int, *, read: bool = False) -> list[Notice]:
    from django.utils import timezone

    return [
        Notice.objects.create(
            recipient=user,
            client=client,
            kind="invoice.issued",
            payload={},
            read_at=timezone.now() if read else None,
        )
        for _ in range(count)
    ]


def listed(response) -> list[str]:
    """The notices' links of the page, in order."""
    html = response.content.decode()
    block = (
        html.split('data-testid="notice-list"', 1)[1].split("</ul>", 1)[0] if "notice-list" in html else ""
    )
    return re.findall(r"<li[^>]*>\s*<a href=\"([^\"]+)\"", block)


def test_every_notice_is_reachable_page_by_page(client_user, acme):
    # given: 30 notices (the bell shows ten)
    notices_for(client_user, acme, 30)
    pages = browsing_as(client_user)

    # when/then: 25 on the first page, the other 5 on the second, "30" named
    first = pages.get("/notices/")
    assert first.status_code == 200
    assert len(listed(first)) == 25
    assert "z 30" in first.content.decode()
    second = pages.get("/notices/?page=2")
    assert len(listed(second)) == 5


def test_only_unread_and_mark_all_read(client_user, acme):
    notices_for(client_user, acme, 3)
    notices_for(client_user, acme, 2, read=True)
    pages = browsing_as(client_user)

    unread = pages.get("/notices/?show=unread")
    assert len(listed(unread)) == 3
    assert "Nieprzeczytane (3)" in unread.content.decode()
    assert len(listed(pages.get("/notices/"))) == 5

    marked = pages.post("/notices/", follow=True)
    assert "Wszystkie powiadomienia oznaczono jako przeczytane." in marked.content.decode()
    assert not Notice.objects.filter(recipient=client_user, read_at__isnull=True).exists()
    empty = pages.get("/notices/?show=unread").content.decode()
    assert "Wszystkie powiadomienia są przeczytane." in empty


def test_another_company_notices_are_not_listed(client_user, acme, other_company):
    notices_for(client_user, acme, 2)
    notices_for(client_user, other_company, 4)  # of a company the user does not act for
    assert len(listed(browsing_as(client_user).get("/notices/"))) == 2


def test_staff_have_the_page_too_and_anonymous_users_log_in_first(bok_staff):
    notices_for(bok_staff, None, 1)
    assert len(listed(browsing_as(bok_staff).get("/notices/"))) == 1
    anonymous = PageClient().get("/notices/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_bell_links_to_the_page(client_user):
    assert 'href="/notices/"' in browsing_as(client_user).get("/").content.decode()
