"""The notices page: the bell's "All notices" opens it, and opening an unread notice there reads it, as
in the bell. Fits a phone."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_opening_an_unread_notice_on_the_page_reads_it(page, login, client_user, acme, width):
    from notifications.models import Notice

    Notice.objects.create(recipient=client_user, kind="invoice.issued", client=acme, payload={})
    newest = Notice.objects.create(recipient=client_user, kind="invoice.issued", client=acme, payload={})
    page.set_viewport_size({"width": width, "height": 800})
    login(page, client_user)
    page.goto("/documents/")
    page.wait_for_selector('.notice-bell-count[data-count="2"]')

    # the bell leads to every notice
    page.click(".notice-bell-button")
    with page.expect_navigation():
        page.click('[data-testid="all-notices"]')
    assert page.url.endswith("/notices/")
    assert page.locator(".notice-page-list li.unread").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # opening the newest reads it before its page opens
    with page.expect_navigation():
        page.locator(f'a[data-unread-notice="{newest.pk}"]').click()
    page.wait_for_selector('.notice-bell-count[data-count="1"]')
    newest.refresh_from_db()
    assert newest.read_at is not None
