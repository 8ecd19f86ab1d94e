"""The buyout quote's "Złóż wniosek" form looked unlike every other request form on a phone: its phone
field unstyled (small, narrow: the request pages' stylesheet, where type="tel" was styled then, was not
loaded) and each declaration's checkbox alone on a line above its bold text. It now loads the request pages' stylesheet
and writes a declaration as they do: the box inside its label, beside the text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def _quote_page(client, client_user, contract) -> str:
    web = logged_in(client, client_user)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    created = web.post(f"/contracts/{contract.pk}/buyout/", {"effective_date": effective})
    assert created.status_code == 302
    return web.get(created["Location"]).content.decode()


def test_the_quotes_request_form_is_styled_as_the_request_forms(client, client_user, acme_contract):
    html = _quote_page(client, client_user, acme_contract)

    assert re.search(r'<link rel="stylesheet" href="[^"]*portal_ui/requests/requests\.css"', html)
    assert re.search(r'<link rel="stylesheet" href="[^"]*portal_ui/client\.css"', html)  # kept
    form = re.search(r'data-testid="buyout-request-form".*?</form>', html, re.S).group(0)
    boxes = re.findall(r'<label class="check" for="(declaration_\w+)"><input type="checkbox" id="\1"', form)
    assert len(boxes) >= 3, form
