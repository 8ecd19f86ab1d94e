"""Client polish (session 34b): an English month stays whole on a phone's line, and a request form refused
because its contract's request went in from another tab meanwhile asks for a contract again instead of
keeping the now disabled one selected (a browser sends no value for it)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.effects_walk.helpers import submit
from tests.factories import ContractFactory, InvoiceFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db
SCHEDULE = {"months": 48, "installment_option": "auto"}


def test_the_english_month_of_the_invoice_history_is_one_unbreakable_word(client, client_user, acme):
    contract = ContractFactory(client=acme)
    first = date(timezone.localdate().year - 2, 12, 5)
    InvoiceFactory(client=acme, contract=contract, issue_date=first)
    InvoiceFactory(client=acme, contract=contract, issue_date=timezone.localdate() - timedelta(days=30))
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    web = logged_in(client, client_user)

    settlements = web.get("/settlements/").content.decode()
    archive = web.get("/archive/").content.decode()

    month = f'<span class="nowrap">{first.year}-12</span>'
    assert f"The portal holds invoices issued from {month}: “Paid”" in settlements
    assert f"of invoices from {month}" in settlements
    assert f"The portal holds invoices issued from {month}; older ones" in archive


def _post_schedule_change(web, contract) -> str:
    response = web.post(
        reverse("request-new-kind", args=["schedule_change"]),
        {
            "idempotency_key": "tab-2",
            "contract_id": str(contract.pk),
            "data__months": "36",
            "data__installment_option": "auto",
            "contact__name": "Anna Kowalska",
            "contact__phone": "601234567",
            "contact__email": "anna@acme.pl",
        },
    )
    assert response.status_code == 400
    return response.content.decode()


def _select(html: str) -> str:
    return re.search(r'<select id="f-contract_id".*?</select>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("language", "choose", "said"),
    [
        ("pl", "Wybierz…", "Na umowie {contract} jest już otwarty wniosek tego rodzaju, {number}"),
        ("en", "Choose…", "Contract {contract} already has an open request of this kind, {number}"),
    ],
)
def test_a_refused_post_whose_contract_was_taken_asks_for_a_contract_again(
    client, client_user, api_as, acme, language, choose, said
):
    busy, free = ContractFactory(client=acme), ContractFactory(client=acme)
    first = submit(api_as(client_user), "schedule_change", busy, SCHEDULE).json()  # the other tab
    client_user.language = language
    client_user.save(update_fields=["language"])
    web = logged_in(client, client_user)

    html = _post_schedule_change(web, busy)

    select = _select(html)
    options = re.findall(r"<option[^>]*>", select)
    assert not [o for o in options if " disabled" in o and " selected" in o]
    assert options[0] == '<option value="" selected>' and choose in select
    assert f'<option value="{busy.pk}" disabled' in select
    assert not re.search(
        rf'<option value="{free.pk}"[^>]* selected', select
    )  # not switched behind their back
    field = re.search(
        r'<div class="field has-error">\s*<label for="f-contract_id".*?</div>', html, re.S
    ).group(0)
    text = " ".join(re.sub(r"<[^>]+>", "", field).split())
    assert said.format(contract=busy.number, number=first["number"]) in text
    assert f'href="/requests/{first["id"]}/"' in field
    # Only a taken contract is let go: a post refused for another reason keeps the free one chosen.
    again = web.post(
        reverse("request-new-kind", args=["schedule_change"]),
        {"idempotency_key": "tab-3", "contract_id": str(free.pk), "data__installment_option": "auto"},
    )
    select = _select(again.content.decode())
    assert 'value=""' not in select and re.search(rf'<option value="{free.pk}"[^>]* selected', select)
