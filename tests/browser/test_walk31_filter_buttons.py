"""Every list's "Filtruj" button ends where the fields beside it end (session 31): the request list and the
staff task list took their filter style from a copy in requests.css whose buttons' bottom margin lifted the
button 1rem (16 px) above the fields' bottom edge. One style now (lists.css) for every filter bar: a button
beside fields shares their bottom edge, one on a row of its own stands clear under them."""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from backend.demo.vocabulary import DEMO_PASSWORD
from tests.browser.client_world import build_client_world
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The form's submit button's (top, bottom) and each visible single-line control's (name, top, bottom).
BOXES = """form => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
  return {button: box(form.querySelector('button[type=submit]')),
          controls: [...form.querySelectorAll('input:not([type=hidden]), select')]
            .filter(el => el.offsetParent !== null).map(el => [el.name, ...box(el)])}; }"""


def _check_filter_bar(page, path: str) -> None:
    page.goto(path)
    forms = page.locator("main form.filters")
    assert forms.count(), path
    for index in range(forms.count()):
        boxes = forms.nth(index).evaluate(BOXES)
        top, bottom = boxes["button"]
        beside = [c for c in boxes["controls"] if c[1] < bottom and c[2] > top]
        for name, _control_top, control_bottom in beside:
            assert abs(control_bottom - bottom) <= 1, (path, name, control_bottom, bottom)
        if not beside:  # on a row of its own: under every field, not over one
            assert all(top >= control_bottom for _n, _t, control_bottom in boxes["controls"]), (path, boxes)


def test_every_filter_button_ends_where_the_fields_beside_it_end(page):
    world = build_client_world()
    world.log_in(page)
    for path in ("/invoices/", "/contracts/", "/documents/", "/requests/", "/messages/", "/archive/"):
        _check_filter_bar(page, path)
    page.context.clear_cookies()
    log_in(page, User.objects.get(email="bok@leasing.example"), DEMO_PASSWORD)
    for path in ("/staff/tasks/", "/staff/tasks/?scope=open", "/staff/messages/", "/staff/clients/?q=demo"):
        _check_filter_bar(page, path)
    # the task list's button sits beside its last fields (two rows at 1280 px), not on a row of its own
    boxes = page.goto("/staff/tasks/") and page.locator("main form.filters").evaluate(BOXES)
    top, bottom = boxes["button"]
    assert any(c[1] < bottom and c[2] > top for c in boxes["controls"]), boxes
