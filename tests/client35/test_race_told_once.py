"""The two-tab race on a request form (tab A sent the request, tab B sends the same kind for the same
contract): the refusal is told once, in full with the open request's link, at the contract's field; the
summary is one short link to that field and the open-requests box does not say it again."""

from __future__ import annotations

import re

import pytest

from backend.requests_app.models import PortalRequest
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_request_pages import submit_payment_day_change

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("language", "refusal", "summary"),
    [
        (
            "pl",
            "Na umowie {contract} jest już otwarty wniosek tego rodzaju",
            "Umowa: ma już otwarty wniosek tego rodzaju",
        ),
        (
            "en",
            "Contract {contract} already has an open request of this kind",
            "Contract: already has an open request of this kind",
        ),
    ],
)
def test_the_race_refusal_is_told_once_at_the_field(client, client_user, acme, language, refusal, summary):
    contract = ContractFactory(client=acme, payment_day=15)
    client_user.language = language
    client_user.save(update_fields=["language"])
    web = logged_in(client, client_user)
    assert submit_payment_day_change(web, contract, idempotency_key="tab-a").status_code == 302
    first = PortalRequest.objects.get()

    response = submit_payment_day_change(web, contract, idempotency_key="tab-b")

    html = response.content.decode()
    assert response.status_code == 400
    main = html[html.index("<main") : html.index("</main>")]
    said = refusal.format(contract=contract.number)
    assert _text(main).count(said) == 1
    field_error = re.search(r'<ul class="errorlist" id="err-contract_id">.*?</ul>', html, re.S).group(0)
    assert said in _text(field_error)
    assert f'<a href="/requests/{first.pk}/">{first.number}</a>' in field_error
    assert 'aria-describedby="err-contract_id"' in html
    box = re.search(r'<div class="alert error error-summary".*?</div>', html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">([^<]*)</a>', box) == [("#f-contract_id", summary)]
    assert 'data-testid="open-requests"' not in html
    assert "{#" not in main


def test_before_the_race_the_box_still_names_the_open_request(client, client_user, acme):
    busy, free = ContractFactory(client=acme, payment_day=15), ContractFactory(client=acme, payment_day=15)
    web = logged_in(client, client_user)
    assert submit_payment_day_change(web, busy, idempotency_key="tab-a").status_code == 302
    first = PortalRequest.objects.get()

    html = web.get("/requests/new/payment_date_change/").content.decode()

    box = re.search(r'data-testid="open-requests".*?</div>', html, re.S).group(0)
    assert f'<a href="/requests/{first.pk}/">{first.number}</a>' in box
    assert free.number not in box
