"""Round 19 of the client's request forms: a value change priced in any of PLN/EUR/CHF (never applied as
the contract's currency without a conversion), the "keep the installment" refusal that says what to change, once, at its
option, the plural of the amounts to give, the table of new amounts, another matter tied to a contract,
the registry data note, the contract header's overdue capital and a name ending with a dot."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import translation

from backend.contracts.models import Contract
from backend.core.money import format_money
from backend.requests_app import change_plans
from backend.requests_app.catalogue import catalogue
from backend.requests_app.change_plans import plan_schedule_change
from backend.requests_app.models import PortalRequest
from portal_ui.request_display import form_data_rows
from tests.client_correctness.test_forms import summary_links
from tests.effects_walk.helpers import approve, page_text, submit
from tests.factories import ContractFactory, MembershipFactory
from tests.logged_in_clients import logged_in
from tests.requests_app.helpers import submission, upload

pytestmark = pytest.mark.django_db


def submit_priced(api, contract, net_amount: str, currency: str):
    attachment_id = upload(api).json()["id"]
    body = submission(
        "contract_value_change",
        contract=contract,
        data={"option": "additional_equipment", "net_amount": net_amount, "currency": currency},
        attachment_ids=[attachment_id],
    )
    return api.post("/api/requests/", body, format="json")


# --- 1. the price's currency ---------------------------------------------------------------------------


def test_a_price_in_another_currency_is_taken_shown_as_such_and_never_applied_as_the_contracts(
    api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    value_before = acme_contract.net_value

    # when the client prices the equipment in EUR for a PLN contract
    response = submit_priced(client_api, acme_contract, "130000.00", "EUR")

    # then the request is taken with its currency
    assert response.status_code == 201, response.json()
    portal_request = PortalRequest.objects.get(pk=response.json()["id"])
    assert portal_request.form_data["currency"] == "EUR"
    # the request's data show the price in EUR and the contract's value in PLN, no plan in PLN from EUR
    with translation.override("pl"):
        rows = dict(form_data_rows(portal_request))
    assert rows["Kwota netto po zmianie"] == format_money(Decimal("130000.00"), "EUR")
    assert rows["Obecna wartość netto umowy"] == format_money(value_before, "PLN")
    after = next(value for label, value in rows.items() if label.startswith("Rata netto po zmianie"))
    assert "cena jest w EUR, a umowa w PLN" in after
    # and an approval without the exchange rate is refused at its field: the contract keeps its value
    # (an approval with one converts the price: tests/requests_app/test_price_conversion.py)
    refused = approve(api_as(bok_staff), portal_request.pk)
    assert refused.status_code == 400, refused.json()
    assert refused.json()["fields"]["exchange_rate"] == [
        "Podaj kurs NBP 1 EUR w PLN: cena jest w EUR, umowa w PLN."
    ]
    assert Contract.objects.get(pk=acme_contract.pk).net_value == value_before


def test_the_preview_says_why_it_shows_no_installments_for_another_currency(
    api_as, client_user, acme_contract
):
    body = {"contract_id": acme_contract.pk, "kind": "contract_value_change", "net_amount": "130000"}
    api = api_as(client_user)
    assert api.post("/api/requests/schedule-quote/", body, format="json").status_code == 200
    response = api.post("/api/requests/schedule-quote/", {**body, "currency": "CHF"}, format="json")
    assert response.status_code == 400
    assert "Cena jest w CHF, a umowa w PLN" in response.json()["message"]


def test_the_catalogue_schema_offers_the_three_currencies():
    kinds = {kind["kind"]: kind for group in catalogue() for kind in group["kinds"]}
    schema = kinds["contract_value_change"]["form_schema"]["properties"]["data"]["properties"]
    assert schema["currency"]["enum"] == ["PLN", "EUR", "CHF"]


def test_a_page_submit_with_another_currency_is_sent(client, client_user, acme_contract):
    web = logged_in(client, client_user)
    page = web.get(f"/requests/new/contract_value_change/?contract={acme_contract.pk}").content.decode()
    select = re.search(r'<select id="f-data__currency".*?</select>', page, flags=re.S).group(0)
    assert re.findall(r'<option value="([A-Z]{3})"', select) == ["PLN", "EUR", "CHF"]
    attachment_id = upload_page(web)
    form = {
        "idempotency_key": "k-eur",
        "contract_id": str(acme_contract.pk),
        "data__option": "additional_equipment",
        "data__net_amount": "130 000,00",
        "data__currency": "EUR",
        "contact__name": "Anna Kowalska",
        "contact__phone": "601234567",
        "contact__email": "anna@acme.pl",
        "request_attachment_ids": str(attachment_id),
        **{f"declarations__{code}": "on" for code in ("data_true", "privacy_notice", "fees", "authorised")},
    }
    response = web.post("/requests/new/contract_value_change/", form)
    errors = dict(summary_links(response.content.decode())) if response.status_code != 302 else {}
    assert "f-data__currency" not in errors


def upload_page(web) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.requests_app.helpers import PDF_BYTES

    response = web.post(
        "/api/requests/attachments/", {"file": SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")}
    )
    return response.json()["id"]


# --- 2. keeping the installment with a longer period ------------------------------------------------------


def test_keep_with_a_longer_period_says_the_longest_period_once_at_its_option(api_as, client_user, acme):
    contract = ContractFactory(client=acme, months=36)
    longer = {"installment_option": "keep", "months": 48}

    response = submit(api_as(client_user), "schedule_change", contract, longer)

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "data.non_field_errors" not in fields
    [message] = fields["data.installment_option"]
    months = int(re.search(r"najwyżej (\d+) miesięcy", message).group(1))
    assert 36 <= months < 48
    assert "Dostosuj ratę automatycznie" in message
    # the period it names works with the current installment, one month more does not
    plan_schedule_change(contract, months=months, installment_option="keep")
    with pytest.raises(Exception):
        plan_schedule_change(contract, months=months + 1, installment_option="keep")


# --- 3. the amounts to give: plural and table -------------------------------------------------------------


def test_the_count_of_amounts_to_give_takes_the_polish_plural(api_as, client_user, acme_contract):
    data = {"installment_option": "amount", "net_installments": ["3000.00"]}
    response = submit(api_as(client_user), "schedule_change", acme_contract, data)
    message = " ".join(response.json()["fields"]["data.non_field_errors"])
    count = len(change_plans.replanned_installments(acme_contract))
    word = (
        {2: "kwoty", 3: "kwoty", 4: "kwoty"}.get(count % 10, "kwot")
        if not 12 <= count % 100 <= 14
        else "kwot"
    )
    assert f"Podaj {count} {word} rat netto" in message


def test_the_schedule_form_carries_the_remaining_installments_for_its_table(
    client, client_user, acme_contract
):
    body = (
        logged_in(client, client_user)
        .get(f"/requests/new/schedule_change/?contract={acme_contract.pk}")
        .content.decode()
    )
    rows = change_plans.replanned_installments(acme_contract)
    data = re.search(r'<script id="installment-rows" type="application/json">(.*?)</script>', body, re.S)
    assert data, "no installment rows for the table"
    import json

    table = json.loads(data.group(1))[str(acme_contract.pk)]
    assert [row["number"] for row in table] == [str(row.number) for row in rows]
    assert 'id="installment-table"' in body


# --- 4. another matter about a contract -------------------------------------------------------------------


def test_another_matter_may_name_a_contract_on_the_page_and_in_the_api(api_as, client_user, acme_contract):
    kinds = {kind["kind"]: kind for group in catalogue() for kind in group["kinds"]}
    assert "contract_id" in kinds["other_request"]["form_schema"]["properties"]
    data = {"subject": "Pytanie", "message": "Czy mogę zmienić ubezpieczyciela?"}
    response = submit(api_as(client_user), "other_request", acme_contract, data)
    assert response.status_code == 201, response.json()
    assert PortalRequest.objects.get(pk=response.json()["id"]).contract_id == acme_contract.pk
    none = submit(api_as(client_user), "other_request", None, data)
    assert none.status_code == 201, none.json()


def test_the_other_matter_form_offers_the_contracts_none_preselected(client, client_user, acme_contract):
    body = logged_in(client, client_user).get("/requests/new/other_request/").content.decode()
    select = re.search(r'<select id="f-contract_id".*?</select>', body, flags=re.S)
    assert select, "no contract choice"
    assert '<option value="">' in select.group(0)
    assert f'<option value="{acme_contract.pk}">' in select.group(0)  # not selected


# --- 7. registry data ------------------------------------------------------------------------------------


def test_the_client_data_form_says_where_to_change_name_regon_and_krs(client, client_user):
    body = logged_in(client, client_user).get("/requests/new/client_data_change/").content.decode()
    assert 'id="registry-data-note"' in body
    assert "/requests/new/other_request/" in body


# --- 5. the header's capital remaining -------------------------------------------------------------------


def test_the_contract_header_names_the_overdue_capital_it_includes(client_user, acme_contract):
    overdue = acme_contract.schedule_rows.filter(paid=True).order_by("-number").first()
    overdue.paid = False
    overdue.save(update_fields=["paid"])
    page = PageClient()
    page.force_login(client_user)
    text = page_text(page, reverse("contract-page", args=[acme_contract.pk]))
    assert f"w tym zaległy kapitał: {format_money(overdue.capital)}" in text


# --- 8. a company name ending with a dot ------------------------------------------------------------------


def test_a_name_ending_with_a_dot_gets_no_second_full_stop(client, client_user, acme, other_company):
    # given Anna acts for acme and Euronet, opens acme's contract, then switches to Euronet
    other_company.name = "Euronet Handel sp. z o.o."
    other_company.save(update_fields=["name"])
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    contract = ContractFactory(client=acme)
    web = logged_in(client, client_user)
    web.post(reverse("switch-client"), {"client_id": other_company.pk, "next": "/"})
    body = web.get(reverse("contract-page", args=[contract.pk])).content.decode()
    assert 'data-testid="other-company"' in body
    assert "teraz działasz w imieniu Euronet Handel sp. z o.o." in body
    assert "o.o.." not in body


# --- 6. the demo's answer about a correction invoice -------------------------------------------------------


def test_the_demo_thread_promises_no_correction_invoice_it_does_not_seed():
    from backend.demo.vocabulary import SHOWCASE_THREADS

    answers = [body for *_, messages in SHOWCASE_THREADS for *_, body in messages]
    assert not any("wystawiliśmy" in body and "korygując" in body for body in answers)
