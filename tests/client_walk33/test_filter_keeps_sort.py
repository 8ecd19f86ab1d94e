"""A client list sorted by a column header lost that order when the client then pressed "Filtruj": the
filter form sent only its fields. It now sends the chosen order on (a hidden `sort`), the default none."""

from __future__ import annotations

import re

import pytest

from tests.factories import InvoiceFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def _filter_form(html: str) -> str:
    return re.search(r'<form method="get" action="#results".*?</form>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("path", "sort"),
    [
        ("/invoices/", "due_date"),
        ("/archive/", "-number"),
        ("/requests/", "number"),
        ("/contracts/", "-number"),
        ("/documents/", "title"),
    ],
)
def test_the_filter_form_sends_the_chosen_order_on(client, client_user, acme_contract, path, sort):
    html = logged_in(client, client_user).get(f"{path}?sort={sort}&page=1").content.decode()

    assert f'<input type="hidden" name="sort" value="{sort}">' in _filter_form(html)


def test_the_default_order_adds_nothing_and_an_unknown_one_is_not_sent_on(client, client_user, acme):
    InvoiceFactory(client=acme)
    web = logged_in(client, client_user)

    assert 'name="sort"' not in _filter_form(web.get("/invoices/").content.decode())
    assert 'name="sort"' not in _filter_form(web.get("/invoices/?sort=nonsense").content.decode())
