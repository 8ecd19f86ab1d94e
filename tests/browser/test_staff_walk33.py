"""The staff workspace as customer service meets it every day (session 33's walk, ST2).

Claiming from the "unclaimed" list (released from "mine") took the row out of the list it came back to:
the list came back at `#task-<id>`, which was no longer there, so the keyboard went to the message at the
top, which said "taken" with no way to the task. The list now comes back at a link to the task, saying
where it went, with the message of what was done said beside it; the live update after the claim keeps it.
"""

from __future__ import annotations

import pytest

from tests.browser.test_focus_walk32 import FOCUSED, IN_VIEW, PHONE, open_as, said_beside
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_claiming_from_the_unclaimed_list_lands_on_a_link_to_the_task(
    browser, asgi_server, bok_staff, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2  # the claim's own live event arrives while the page is open
    requests = [submit_other_request(client_user, acme, f"Sprawa {n}") for n in range(3)]
    context, page = open_as(browser, asgi_server, bok_staff, "/staff/tasks/?assignee=none&sort=number")
    claimed = requests[1]
    page.get_by_role("button", name=f"Przejmij {claimed.number}", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # the filter kept, the claimed row gone from it, the keyboard on the link to the task, in view
    assert page.evaluate("() => window.location.search") == "?assignee=none&sort=number"
    assert page.locator("tbody th a").all_inner_texts() == [requests[0].number, requests[2].number]
    assert page.evaluate(FOCUSED) == {
        "id": f"task-{claimed.pk}",
        "tag": "A",
        "text": f"Otwórz {claimed.number}",
    }
    box = page.locator("[data-testid=landed-elsewhere]")
    assert box.inner_text().startswith(f"{claimed.number} nie jest już na tej liście")
    said = said_beside(page)
    assert said["role"] == "status" and said["text"] == "Zadanie zostało przypisane do Ciebie."
    assert page.locator(f"#task-{claimed.pk}").evaluate(IN_VIEW)
    # the claim's live event re-fetches the list a moment later: the link and the keyboard stay
    page.wait_for_timeout(1200)
    assert page.evaluate(FOCUSED)["id"] == f"task-{claimed.pk}"
    # on a phone the box fits the screen
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    # Enter opens the task, now the user's
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/staff/tasks/{claimed.pk}/")
    assert page.get_by_role("button", name="Zwolnij zadanie").count() == 1
    context.close()
