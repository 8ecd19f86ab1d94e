"""Amounts typed on the request forms are read as the page's language writes numbers: English
"700,000.00", Polish "700 000,00", a bare "700000" in both; anything else is refused with a message
saying how to write it, never misread (English "700,5" is not 700.50). The hints show the same format,
and the live preview reads numbers by the same rules (request_form.js mirrors backend/core/money.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from backend.core.money import AmountFormatError, parse_amount
from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import visible_text
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in
from tests.requests_app.helpers import upload

pytestmark = pytest.mark.django_db

VALUE_CHANGE = "/requests/new/contract_value_change/"
SCHEDULE_CHANGE = "/requests/new/schedule_change/"
DECLARATIONS = ("data_true", "privacy_notice", "fees", "authorised")

# (language, typed, read as) — None: refused as not a number of that language
CASES = [
    ("en", "700,000.00", "700000.00"),
    ("en", "700,000", "700000"),
    ("en", "7,000,000", "7000000"),
    ("en", "700000", "700000"),
    ("en", "700000.5", "700000.5"),
    ("en", " 1 250.50 ", "1250.50"),
    ("en", "700,5", None),
    ("en", "700,50", None),
    ("en", "1,23,456", None),
    ("en", "700 000,00", None),
    ("en", "1.234,56", None),
    ("pl", "700 000,00", "700000.00"),
    ("pl", "700\u00a0000,00", "700000.00"),
    ("pl", "700000", "700000"),
    ("pl", "700,5", "700.5"),
    ("pl", "1234.56", "1234.56"),
    ("pl", "700.000", None),
    ("pl", "700,000.00", None),
    ("pl", "7,000,000", None),
    ("pl", "12 34", None),
    ("en", "", ""),
    ("pl", "-", None),
]


@pytest.mark.parametrize(("lang", "typed", "expected"), CASES)
def test_one_parser_reads_each_languages_numbers_and_refuses_the_rest(lang, typed, expected):
    with translation.override(lang):
        if expected is None:
            with pytest.raises(AmountFormatError):
                parse_amount(typed, lang=lang)
        else:
            assert parse_amount(typed, lang=lang) == expected


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_preview_script_reads_numbers_like_the_server():
    script = Path(settings.BASE_DIR, "portal_ui/static/portal_ui/requests/request_form.js").read_text()
    start = script.index('  var grouped = "')
    end = script.index("  function el(")
    parser = script[start:end]
    checks = []
    for lang in ("en", "pl"):
        cases = [typed for case_lang, typed, _read in CASES if case_lang == lang]
        program = (
            f"var lang = {json.dumps(lang)};\n{parser}\n"
            f"console.log(JSON.stringify({json.dumps(cases)}.map(parseDecimal)));"
        )
        result = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
        checks.append((lang, cases, json.loads(result.stdout)))
    for lang, cases, read in checks:
        for typed, by_script in zip(cases, read, strict=True):
            expected = next(e for c_lang, t, e in CASES if c_lang == lang and t == typed)
            assert by_script == expected, (lang, typed)


@pytest.fixture
def contract(acme):
    return ContractFactory(client=acme, net_value=Decimal("678600.00"), residual_percent=Decimal("1.00"))


@pytest.fixture
def english(client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    return client_user


def value_change_form(contract, amount: str, attachment_id: int) -> dict:
    return {
        "idempotency_key": f"cv-{amount}",
        "contract_id": str(contract.pk),
        "data__option": "additional_equipment",
        "data__net_amount": amount,
        "data__currency": contract.currency,
        "contact__name": "Anna Kowalska",
        "contact__phone": "601234567",
        "contact__email": "anna@acme.pl",
        "attachment_ids": [str(attachment_id)],
        **{f"declarations__{code}": "on" for code in DECLARATIONS},
    }


def send_value_change(client, api_as, user, contract, amount: str):
    attachment = upload(api_as(user)).json()["id"]
    return logged_in(client, user).post(VALUE_CHANGE, value_change_form(contract, amount, attachment))


@pytest.mark.parametrize(("typed", "read"), [("700,000.00", "700000.00"), ("700,000", "700000.00")])
def test_an_english_amount_with_thousands_commas_is_sent_as_typed(
    client, api_as, english, contract, typed, read
):
    response = send_value_change(client, api_as, english, contract, typed)

    assert response.status_code == 302, visible_text(response.content.decode())[:2000]
    assert PortalRequest.objects.get().form_data["net_amount"] == read


def test_an_ambiguous_english_amount_is_refused_with_how_to_write_it(client, api_as, english, contract):
    response = send_value_change(client, api_as, english, contract, "700,5")

    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert "Write the number as 1,250.50: commas between thousands, a dot before the decimals." in text
    assert "A valid number is required" not in text
    assert 'value="700,5"' in response.content.decode()  # kept as typed, to correct
    assert not PortalRequest.objects.exists()


def test_a_polish_amount_is_still_read_the_polish_way(client, api_as, client_user, contract):
    response = send_value_change(client, api_as, client_user, contract, "700 000,00")

    assert response.status_code == 302
    assert PortalRequest.objects.get().form_data["net_amount"] == "700000.00"


def test_a_polish_amount_with_a_thousands_dot_is_refused_not_read_as_700(
    client, api_as, client_user, contract
):
    response = send_value_change(client, api_as, client_user, contract, "700.000")

    assert response.status_code == 400
    assert "Wpisz liczbę w postaci 1\u00a0250,50" in visible_text(response.content.decode())
    assert not PortalRequest.objects.exists()


def test_the_hints_show_the_pages_own_number_format(client, english, client_user, contract):
    page = visible_text(logged_in(client, english).get(VALUE_CHANGE).content.decode())
    assert "For example 125,000.00" in page
    assert "125 000,00" not in page
    schedule = visible_text(client.get(SCHEDULE_CHANGE).content.decode())
    assert "(e.g. 1,250.00; 1,250.00)" in schedule

    english.language = "pl"
    english.save(update_fields=["language"])
    polish = visible_text(client.get(VALUE_CHANGE).content.decode())
    assert "Na przykład 125\u00a0000,00" in polish


def test_the_preview_has_the_format_message_in_the_pages_language(client, english, contract):
    html = logged_in(client, english).get(SCHEDULE_CHANGE).content.decode()
    message = re.search(r'data-text-format="([^"]*)"', html).group(1)
    assert message == "Write the number as 1,250.50: commas between thousands, a dot before the decimals."


def test_english_installment_amounts_and_residual_percent_are_read_the_english_way(client, english, contract):
    remaining = contract.schedule_rows.filter(paid=False).count()
    form = {
        "idempotency_key": "sc-en",
        "contract_id": str(contract.pk),
        "data__residual_percent": "1.5",
        "data__months": "",
        "data__installment_option": "amount",
        "data__net_installments": "\n".join(["21,000.00"] * (remaining - 1)),
        "contact__name": "Anna Kowalska",
        "contact__phone": "601234567",
        "contact__email": "anna@acme.pl",
        **{f"declarations__{code}": "on" for code in DECLARATIONS},
    }

    response = logged_in(client, english).post(SCHEDULE_CHANGE, form)

    assert response.status_code == 302, visible_text(response.content.decode())[:3000]
    data = PortalRequest.objects.get().form_data
    assert data["residual_percent"] == "1.50"
    assert data["net_installments"] == ["21000.00"] * (remaining - 1)


def test_an_unreadable_installment_amount_is_refused_by_its_field(client, english, contract):
    form = {
        "idempotency_key": "sc-en-bad",
        "contract_id": str(contract.pk),
        "data__installment_option": "amount",
        "data__net_installments": "21,000.00\n21000,5",
        "contact__name": "Anna Kowalska",
        "contact__phone": "601234567",
        "contact__email": "anna@acme.pl",
        **{f"declarations__{code}": "on" for code in DECLARATIONS},
    }

    response = logged_in(client, english).post(SCHEDULE_CHANGE, form)

    assert response.status_code == 400
    assert 'id="err-data__net_installments"' in response.content.decode()
    assert "commas between thousands" in visible_text(response.content.decode())
    assert not PortalRequest.objects.exists()
