"""A contract value change priced in another currency than the contract's: staff approve it with the NBP
rate(s) as NBP publishes them (1 EUR = x zł) and their date, the portal converts (a foreign price × rate, a
PLN price ÷ rate, EUR↔CHF through both rates; half-up to grosze) and the contract changes by the converted
amount; the decision's history row, the request's data and the decision letter state both amounts and the
rates. The approve endpoint and the generic complete/ take the same rates. Same-currency approvals are as
before, and a conversion stored the old way still reads as it was decided."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client as PageClient
from django.utils import timezone

from backend.contracts.models import Contract
from backend.core.money import format_date
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.effects_walk.helpers import approve, decision_text, page_text, submit_value_change
from tests.factories import ContractFactory
from tests.requests_app.helpers import submission, upload

pytestmark = pytest.mark.django_db

# 30 000,02 EUR × 4,2500 = 127 500,085 zł: half-up gives 127 500,09 (banker's rounding would give ,08).
PRICE, RATE, CONVERTED = "30000.02", "4.2500", Decimal("127500.09")


def rate_day():
    return timezone.localdate() - timedelta(days=3)


def submit_in(api, contract, net_amount: str, currency: str) -> PortalRequest:
    attachment_id = upload(api).json()["id"]
    body = submission(
        "contract_value_change",
        contract=contract,
        data={"option": "additional_equipment", "net_amount": net_amount, "currency": currency},
        attachment_ids=[attachment_id],
    )
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return PortalRequest.objects.get(pk=response.json()["id"])


def test_approving_a_eur_price_with_a_rate_applies_the_converted_value_and_states_both_amounts(
    api_as, client_user, bok_staff, acme_contract
):
    # given a PLN contract and a new price in EUR
    portal_request = submit_in(api_as(client_user), acme_contract, PRICE, "EUR")

    # when staff approve it with the rate of 1 EUR in PLN and its date
    response = approve(
        api_as(bok_staff),
        portal_request.pk,
        {"answer": "Zgoda.", "exchange_rate": "4,25", "rate_date": rate_day().isoformat()},
    )

    # then the contract's value is the converted amount, in PLN
    assert response.status_code == 200, response.json()
    assert Contract.objects.get(pk=acme_contract.pk).net_value == CONVERTED
    # the request keeps both amounts and the rate
    portal_request.refresh_from_db()
    assert portal_request.form_data["price_conversion"] == {
        "amount": PRICE,
        "currency": "EUR",
        "rates": {"EUR": RATE},
        "rate_date": rate_day().isoformat(),
        "converted": str(CONVERTED),
        "contract_currency": "PLN",
    }
    # the decision's history row states both and the formula, under the staff's answer, in both languages
    both = (
        "30\u00a0000,02\u00a0EUR × 4,2500\u00a0zł/EUR = 127\u00a0500,09\u00a0zł "
        f"(tabela A NBP z {format_date(rate_day())})"
    )
    decision = portal_request.events.get(kind=RequestEvent.Kind.DECISION)
    assert decision.message == f"Zgoda.\n\nCena przeliczona na walutę umowy: {both}."
    assert "30,000.02\u00a0EUR × 4.2500\u00a0PLN/EUR = 127,500.09\u00a0PLN" in decision.data["message_en"]
    detail = api_as(client_user).get(f"/api/requests/{portal_request.pk}/").json()
    assert any(both in (row["message"] or "") for row in detail["history"])
    # and so does the decision letter (the annex)
    assert both in decision_text(portal_request.pk)
    assert "Nowa wartość netto umowy: 127\u00a0500,09\u00a0zł." in decision_text(portal_request.pk)


def test_a_missing_rate_or_date_is_refused_at_its_field_and_changes_nothing(
    api_as, client_user, bok_staff, acme_contract
):
    value_before = acme_contract.net_value
    portal_request = submit_in(api_as(client_user), acme_contract, PRICE, "CHF")
    staff_api = api_as(bok_staff)

    # when staff approve without the rate, or with a rate but no date
    no_rate = approve(staff_api, portal_request.pk, {"rate_date": rate_day().isoformat()})
    no_date = approve(staff_api, portal_request.pk, {"exchange_rate": "4.6012"})

    # then each is 400 at the field that is missing, and the contract keeps its value
    assert no_rate.status_code == 400, no_rate.json()
    assert no_rate.json()["code"] == "invalid"
    assert no_rate.json()["fields"] == {
        "exchange_rate": ["Podaj kurs NBP 1 CHF w PLN: cena jest w CHF, umowa w PLN."]
    }
    assert no_date.status_code == 400, no_date.json()
    assert no_date.json()["fields"] == {"rate_date": ["Podaj datę kursu waluty."]}
    assert Contract.objects.get(pk=acme_contract.pk).net_value == value_before
    portal_request.refresh_from_db()
    assert "price_conversion" not in portal_request.form_data
    assert portal_request.status == "in_review"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"exchange_rate": "4.28001"}, "exchange_rate"),  # NBP publishes 4 decimals
        ({"exchange_rate": "0"}, "exchange_rate"),
        ({"exchange_rate": "-4.28"}, "exchange_rate"),
        ({"exchange_rate": "4,28", "rate_date": "2999-01-01"}, "rate_date"),  # a rate of the future
        # 1 zł in EUR, as it was typed before (the inverse: a fourfold contract), and a slipped comma
        ({"exchange_rate": "0,2353"}, "exchange_rate"),
        ({"exchange_rate": "42500"}, "exchange_rate"),
        # a table older than a month is not the approval's rate
        (
            {"exchange_rate": "4,28", "rate_date": (timezone.localdate() - timedelta(days=31)).isoformat()},
            "rate_date",
        ),
        # a second rate where one converts (EUR on PLN)
        ({"exchange_rate": "4,28", "contract_rate": "4,60"}, "contract_rate"),
    ],
)
def test_a_malformed_rate_is_refused_at_its_field(api_as, bok_staff, client_user, acme_contract, body, field):
    portal_request = submit_in(api_as(client_user), acme_contract, PRICE, "EUR")
    response = approve(api_as(bok_staff), portal_request.pk, {"rate_date": rate_day().isoformat(), **body})
    assert response.status_code == 400, response.json()
    assert list(response.json()["fields"]) == [field]


def test_a_same_currency_approval_is_unchanged_and_takes_no_rate(
    api_as, client_user, bok_staff, acme_contract
):
    # given a PLN contract priced in PLN
    submitted = submit_value_change(api_as(client_user), acme_contract, "130000.00")
    request_id = submitted.json()["id"]
    staff_api = api_as(bok_staff)

    # a rate there is a mistake said at its field (nothing to convert)
    with_rate = approve(staff_api, request_id, {"exchange_rate": "4.28", "rate_date": rate_day().isoformat()})
    assert with_rate.status_code == 400, with_rate.json()
    assert list(with_rate.json()["fields"]) == ["exchange_rate"]

    # the approval without one applies the price as it is, and states no conversion
    assert approve(staff_api, request_id).status_code == 200
    assert Contract.objects.get(pk=acme_contract.pk).net_value == Decimal("130000.00")
    portal_request = PortalRequest.objects.get(pk=request_id)
    assert "price_conversion" not in portal_request.form_data
    assert "kursie" not in portal_request.events.get(kind=RequestEvent.Kind.DECISION).message
    assert "kursie" not in decision_text(request_id)


def test_the_staff_page_approves_with_the_rate_typed_the_polish_way(
    api_as, client_user, bok_staff, acme_contract
):
    portal_request = submit_in(api_as(client_user), acme_contract, PRICE, "EUR")
    page = PageClient()
    page.force_login(bok_staff)
    url = f"/staff/tasks/{portal_request.pk}/"

    # the approve form asks for the rate of 1 EUR in zł and its date
    text = page_text(page, url)
    assert "Kurs NBP: 1 EUR = … zł" in text and "Data kursu (tabeli NBP)" in text

    # a missing rate comes back at its field, the typed answer kept
    refused = page.post(f"{url}approve/", {"answer": "Zgoda.", "rate_date": rate_day().isoformat()})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="err-approve-exchange_rate"' in html and "Podaj kurs NBP 1 EUR w PLN" in html

    # "4,25" as a Polish user writes it: approved, converted
    done = page.post(
        f"{url}approve/", {"answer": "Zgoda.", "exchange_rate": "4,25", "rate_date": rate_day().isoformat()}
    )
    assert done.status_code == 302
    assert Contract.objects.get(pk=acme_contract.pk).net_value == CONVERTED
    # the request's data show the conversion
    assert (
        "Cena przeliczona przy zatwierdzeniu 30\u00a0000,02\u00a0EUR × 4,2500\u00a0zł/EUR = 127\u00a0500,09\u00a0zł"
        in (page_text(page, url))
    )


def test_a_same_currency_request_shows_no_rate_fields(api_as, client_user, bok_staff, acme_contract):
    submitted = submit_value_change(api_as(client_user), acme_contract, "130000.00")
    page = PageClient()
    page.force_login(bok_staff)
    html = page.get(f"/staff/tasks/{submitted.json()['id']}/").content.decode()
    assert 'name="exchange_rate"' not in html and "rate_preview.js" not in html


# --------------------------------------------------------------------------------------------------
# The NBP way for every pair: a PLN price divided by the contract currency's rate, EUR↔CHF through both


def eur_contract(client) -> Contract:
    return ContractFactory(client=client, currency="EUR", net_value=Decimal("30000.00"))


@pytest.mark.parametrize(
    ("price", "rate", "converted"),
    [
        ("130000.00", "4,25", Decimal("30588.24")),  # 30 588,235… EUR
        ("130000.02", "4", Decimal("32500.01")),  # 32 500,005 exactly: half-up (banker's gives ,00)
    ],
)
def test_a_pln_price_on_a_eur_contract_is_divided_by_the_nbp_rate(
    api_as, client_user, bok_staff, acme, price, rate, converted
):
    # given a EUR contract and a new price in PLN
    contract = eur_contract(acme)
    portal_request = submit_in(api_as(client_user), contract, price, "PLN")

    # when staff approve it with the rate NBP publishes: 1 EUR in zł
    response = approve(
        api_as(bok_staff), portal_request.pk, {"exchange_rate": rate, "rate_date": rate_day().isoformat()}
    )

    # then the contract's value is the price divided by it, in EUR, and the request says so
    assert response.status_code == 200, response.json()
    assert Contract.objects.get(pk=contract.pk).net_value == converted
    portal_request.refresh_from_db()
    stored = portal_request.form_data["price_conversion"]
    assert list(stored["rates"]) == ["EUR"]
    assert Decimal(stored["rates"]["EUR"]) == Decimal(rate.replace(",", "."))
    assert (stored["currency"], stored["converted"], stored["contract_currency"]) == (
        "PLN",
        str(converted),
        "EUR",
    )
    if price == "130000.00":
        said = portal_request.events.get(kind=RequestEvent.Kind.DECISION).message
        assert (
            "130\u00a0000,00\u00a0zł ÷ 4,2500\u00a0zł/EUR = 30\u00a0588,24\u00a0EUR (tabela A NBP z" in said
        )
        assert "130\u00a0000,00\u00a0zł ÷ 4,2500\u00a0zł/EUR = 30\u00a0588,24\u00a0EUR" in decision_text(
            portal_request.pk
        )


def test_a_eur_price_on_a_chf_contract_takes_both_nbp_rates_of_one_date(api_as, client_user, bok_staff, acme):
    contract = ContractFactory(client=acme, currency="CHF")
    portal_request = submit_in(api_as(client_user), contract, PRICE, "EUR")
    staff_api = api_as(bok_staff)

    # the CHF rate left out is asked for at its field, naming the currency
    one = approve(
        staff_api, portal_request.pk, {"exchange_rate": "4,25", "rate_date": rate_day().isoformat()}
    )
    assert one.status_code == 400, one.json()
    assert one.json()["fields"] == {
        "contract_rate": ["Podaj kurs NBP 1 CHF w PLN: cena jest w EUR, umowa w CHF."]
    }

    # with both: 30 000,02 EUR × 4,2500 zł/EUR ÷ 4,6012 zł/CHF = 27 710,181… CHF
    both = approve(
        staff_api,
        portal_request.pk,
        {"exchange_rate": "4,25", "contract_rate": "4,6012", "rate_date": rate_day().isoformat()},
    )
    assert both.status_code == 200, both.json()
    assert Contract.objects.get(pk=contract.pk).net_value == Decimal("27710.18")
    portal_request.refresh_from_db()
    assert portal_request.form_data["price_conversion"]["rates"] == {"EUR": "4.2500", "CHF": "4.6012"}
    said = "30\u00a0000,02\u00a0EUR × 4,2500\u00a0zł/EUR ÷ 4,6012\u00a0zł/CHF = 27\u00a0710,18\u00a0CHF"
    assert said in portal_request.events.get(kind=RequestEvent.Kind.DECISION).message
    assert said in decision_text(portal_request.pk)


def complete(staff_api, request_id: int, body: dict):
    return staff_api.post(f"/api/staff/requests/{request_id}/complete/", body, format="json")


def test_the_generic_complete_endpoint_takes_the_same_rates_and_never_approves_without_them(
    api_as, client_user, bok_staff, acme
):
    contract = eur_contract(acme)
    value_before = contract.net_value
    portal_request = submit_in(api_as(client_user), contract, "130000.00", "PLN")
    staff_api = api_as(bok_staff)
    approval = {"decision": "approve", "answer": "Zgoda."}

    # without the rate: 400 at the fields it names, which this endpoint takes; nothing approved
    refused = complete(staff_api, portal_request.pk, {"data": approval})
    assert refused.status_code == 400, refused.json()
    assert refused.json()["fields"] == {
        "exchange_rate": ["Podaj kurs NBP 1 EUR w PLN: cena jest w PLN, umowa w EUR."],
        "rate_date": ["Podaj datę kursu waluty."],
    }
    assert Contract.objects.get(pk=contract.pk).net_value == value_before
    # a rate no approval takes is refused at its field, not ignored
    asked = complete(
        staff_api,
        portal_request.pk,
        {"data": {"decision": "ask_client", "question": "?"}, "exchange_rate": "4,25"},
    )
    assert asked.status_code == 400, asked.json()
    assert list(asked.json()["fields"]) == ["exchange_rate"]
    # the same rules as approve/ at the field
    implausible = complete(
        staff_api,
        portal_request.pk,
        {"data": approval, "exchange_rate": "0,2353", "rate_date": rate_day().isoformat()},
    )
    assert implausible.status_code == 400, implausible.json()
    assert list(implausible.json()["fields"]) == ["exchange_rate"]

    # with the rate and its date: converted as approve/ converts
    done = complete(
        staff_api,
        portal_request.pk,
        {"data": approval, "exchange_rate": "4,25", "rate_date": rate_day().isoformat()},
    )
    assert done.status_code == 200, done.json()
    assert Contract.objects.get(pk=contract.pk).net_value == Decimal("30588.24")
    portal_request.refresh_from_db()
    assert portal_request.form_data["price_conversion"]["converted"] == "30588.24"


def test_the_staff_page_asks_for_the_nbp_rate_of_the_contract_currency_and_shows_the_formula(
    api_as, client_user, bok_staff, acme
):
    contract = eur_contract(acme)
    portal_request = submit_in(api_as(client_user), contract, "130000.00", "PLN")
    page = PageClient()
    page.force_login(bok_staff)
    url = f"/staff/tasks/{portal_request.pk}/"

    # the rate asked is 1 EUR in zł (as NBP publishes it), not 1 zł in EUR; it divides the price
    text = page_text(page, url)
    assert "Kurs NBP: 1 EUR = … zł" in text
    html = page.get(url).content.decode()
    assert 'data-rate-input="exchange_rate" data-rate-divides' in html
    # the formula rate_preview.js fills in as the rate is typed (shown before the confirmation)
    assert (
        'data-rate-formula="130\u00a0000,00\u00a0zł ÷ {exchange_rate}\u00a0zł/EUR = {converted}\u00a0EUR"'
        in html
    )

    done = page.post(
        f"{url}approve/", {"answer": "Zgoda.", "exchange_rate": "4,25", "rate_date": rate_day().isoformat()}
    )
    assert done.status_code == 302
    assert Contract.objects.get(pk=contract.pk).net_value == Decimal("30588.24")
    assert "130\u00a0000,00\u00a0zł ÷ 4,2500\u00a0zł/EUR = 30\u00a0588,24\u00a0EUR" in page_text(page, url)


def test_a_conversion_stored_the_old_way_still_reads_as_it_was_decided(
    api_as, client_user, bok_staff, acme_contract
):
    # given a request approved before rates were typed the NBP way (one rate: 1 EUR in the contract's PLN)
    portal_request = submit_in(api_as(client_user), acme_contract, PRICE, "EUR")
    portal_request.form_data = {
        **portal_request.form_data,
        "price_conversion": {
            "amount": PRICE,
            "currency": "EUR",
            "rate": RATE,
            "rate_date": rate_day().isoformat(),
            "converted": str(CONVERTED),
            "contract_currency": "PLN",
        },
    }
    portal_request.save(update_fields=["form_data"])
    page = PageClient()
    page.force_login(bok_staff)

    # then its data still state both amounts and the rate, as when it was decided
    assert (
        "Cena przeliczona przy zatwierdzeniu 30\u00a0000,02\u00a0EUR → 127\u00a0500,09\u00a0zł po kursie 4,2500"
        in page_text(page, f"/staff/tasks/{portal_request.pk}/")
    )
