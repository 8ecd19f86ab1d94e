"""The home page's "Balance due" tiles name their currency in a chip only when the client has several, by the
settlements page's rule (portal_format.currency_tags): one currency's amounts say it themselves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


def settlements_box(client, user) -> str:
    user.language = "en"  # a logged-in user's saved language wins
    user.save(update_fields=["language"])
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    start = html.index('class="card home-settlements"')
    return html[start : html.index("</section>", start)]


def test_one_currency_has_no_chip(client, client_user, acme):
    InvoiceFactory(client=acme)

    box = settlements_box(client, client_user)

    assert "Balance due" in box and "currency-tag" not in box


def test_two_currencies_have_one_chip_per_row(client, client_user, acme):
    InvoiceFactory(client=acme)
    InvoiceFactory(client=acme, currency="EUR")

    box = settlements_box(client, client_user)

    assert box.count("Balance due") == 2 and box.count('class="currency-tag"') == 2
    assert box.count('<span class="currency-tag">PLN</span>') == 1
    assert box.count('<span class="currency-tag">EUR</span>') == 1
