"""A contract takes one open request of each contract-changing kind. The forms said so only once the
client had filled one in and sent it (the submit's refusal); now they say it before: the form names the
contract's open request with its link and does not offer that contract, a form asked for that contract
(`?contract=`, "Submit the request again") is not shown at all, and a buyout quote's page shows the open
early termination instead of a form that would be refused. The submit still checks (two tabs, a race)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.effects_walk.helpers import new_buyout_quote, request_buyout, submit
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db
SCHEDULE = {"months": 48, "installment_option": "auto"}


def _form(web, kind: str, query: str = "") -> str:
    response = web.get(reverse("request-new-kind", args=[kind]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _option(html: str, contract) -> str:
    return re.search(rf'<option value="{contract.pk}"[^>]*>[^<]*</option>', html).group(0)


def test_the_form_names_the_open_request_and_does_not_offer_its_contract(client, client_user, api_as, acme):
    busy, free = ContractFactory(client=acme), ContractFactory(client=acme)
    first = submit(api_as(client_user), "schedule_change", busy, SCHEDULE).json()
    web = logged_in(client, client_user)

    html = _form(web, "schedule_change")

    notice = re.search(r'data-testid="open-requests".*?</div>', html, re.S).group(0)
    assert f'<a href="/requests/{first["id"]}/">{first["number"]}</a>' in notice
    assert busy.number in notice and free.number not in notice
    assert "disabled" in _option(html, busy) and first["number"] in _option(html, busy)
    assert "disabled" not in _option(html, free) and "selected" in _option(html, free)
    assert 'id="request-form"' in html  # the free contract still takes one


def test_only_other_kinds_and_closed_requests_leave_a_contract_free(
    client, client_user, api_as, acme_contract
):
    submit(api_as(client_user), "schedule_change", acme_contract, SCHEDULE)
    web = logged_in(client, client_user)

    html = _form(web, "payment_date_change")

    assert 'data-testid="open-requests"' not in html
    assert "disabled" not in _option(html, acme_contract)


def test_a_form_asked_for_the_busy_contract_is_not_shown(client, client_user, api_as, acme):
    busy = ContractFactory(client=acme)
    ContractFactory(client=acme)
    first = submit(api_as(client_user), "schedule_change", busy, SCHEDULE).json()
    web = logged_in(client, client_user)

    html = _form(web, "schedule_change", f"?contract={busy.pk}")

    assert 'id="request-form"' not in html
    assert f'href="/requests/{first["id"]}/"' in html
    assert 'data-testid="choose-other-contract"' in html


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("pl", "Na umowie {contract} jest już otwarty wniosek tego rodzaju, {number}: poczekaj"),
        ("en", "Contract {contract} already has an open request of this kind, {number}: wait"),
    ],
)
def test_no_form_when_every_contract_has_one_open(client, client_user, api_as, acme_contract, language, said):
    first = submit(api_as(client_user), "schedule_change", acme_contract, SCHEDULE).json()
    client_user.language = language
    client_user.save(update_fields=["language"])
    web = logged_in(client, client_user)

    html = _form(web, "schedule_change")

    assert 'id="request-form"' not in html
    assert "choose-other-contract" not in html  # nothing else to choose
    text = re.sub(r"<[^>]+>", "", re.search(r'data-testid="open-requests".*?</div>', html, re.S).group(0))
    assert said.format(contract=acme_contract.number, number=first["number"]) in " ".join(text.split())


def test_a_refused_post_keeps_the_form_and_what_was_typed(client, client_user, api_as, acme_contract):
    """The race: the request went in from another tab after this form was shown."""
    submit(api_as(client_user), "schedule_change", acme_contract, SCHEDULE)
    web = logged_in(client, client_user)

    response = web.post(
        reverse("request-new-kind", args=["schedule_change"]),
        {
            "idempotency_key": "tab-2",
            "contract_id": str(acme_contract.pk),
            "data__months": "36",
            "data__installment_option": "auto",
            "contact__name": "Anna Kowalska",
            "contact__phone": "601234567",
            "contact__email": "anna@acme.pl",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="request-form"' in html and 'name="data__months"' in html
    assert re.search(r'name="data__months"[^>]*value="36"|value="36"[^>]*name="data__months"', html)


def test_the_quote_page_shows_the_open_early_termination_instead_of_a_form(
    client, client_user, api_as, acme_contract
):
    api = api_as(client_user)
    first_quote = new_buyout_quote(api, acme_contract)
    first = request_buyout(api, acme_contract, first_quote["id"]).json()
    second_quote = new_buyout_quote(api, acme_contract, days_ahead=25)
    web = logged_in(client, client_user)

    html = web.get(reverse("buyout-quote-page", args=[acme_contract.pk, second_quote["id"]])).content.decode()

    assert 'data-testid="buyout-request-form"' not in html
    section = re.search(r'data-testid="open-buyout-request".*?</section>', html, re.S).group(0)
    assert f'<a href="/requests/{first["id"]}/">{first["number"]}</a>' in section


def test_the_buyout_page_names_the_open_early_termination_before_a_quote(
    client, client_user, api_as, acme_contract
):
    api = api_as(client_user)
    first = request_buyout(api, acme_contract, new_buyout_quote(api, acme_contract)["id"]).json()
    web = logged_in(client, client_user)

    html = web.get(reverse("buyout-page", args=[acme_contract.pk])).content.decode()

    notice = re.search(r'data-testid="open-buyout-request".*?</div>', html, re.S).group(0)
    assert f'<a href="/requests/{first["id"]}/">{first["number"]}</a>' in notice
    assert 'data-testid="buyout-form"' in html  # a quote is still given: it is only the request that waits
