"""What the request and message forms tell the client: every error at once (a rejected file included), in
the words of the visible labels; only what the server accepts offered (the contract's currency), an honest
payment day hint; and the submitted data shown with their currency under noun labels."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from backend.messaging.client_writes import start_thread
from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.models import PortalRequest, RequestKind, RequestStatus
from portal_ui.request_display import form_data_rows
from tests.client_correctness.helpers import NBSP, visible_text
from tests.client_correctness.test_forms import summary_links
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in
from tests.requests_app.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db

PAYMENT_DAY_URL = f"/requests/new/{RequestKind.PAYMENT_DATE_CHANGE}/"
VALUE_CHANGE_URL = f"/requests/new/{RequestKind.CONTRACT_VALUE_CHANGE}/"


def summary(response) -> dict[str, str]:
    """The error summary as link target → "Label: message"."""
    return dict(summary_links(response.content.decode()))


def fake_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("fake.pdf", b"To nie jest PDF, tylko tekst.", content_type="application/pdf")


# --- 1. a rejected file hides no other error ----------------------------------------------------------


def test_a_rejected_file_is_named_with_every_other_error_and_the_typed_values_kept(
    client, client_user, acme_contract
):
    # given the tester's form: "Inny" with no text, a bad phone and e-mail, no declaration, a text "PDF"
    form = {
        "idempotency_key": "k-fake",
        "contract_id": str(acme_contract.pk),
        "data__payment_day": "20",
        "data__reason": "other",
        "data__reason_other": "",
        "contact__name": "Anna Kowalska",
        "contact__phone": "abc",
        "contact__email": "nie-email",
        "files": fake_pdf(),
    }

    # when
    response = logged_in(client, client_user).post(PAYMENT_DAY_URL, form)

    # then the file and everything else are named at once
    assert response.status_code == 400
    errors = summary(response)
    assert "fake.pdf" in errors["f-attachment_ids"]
    expected = {
        "f-data__reason_other",
        "f-contact__phone",
        "f-contact__email",
        *(f"f-declarations__{code}" for code in KIND_DECLARATIONS[RequestKind.PAYMENT_DATE_CHANGE]),
    }
    assert expected <= set(errors), set(errors)
    # what was typed is still there, and nothing was sent
    body = response.content.decode()
    assert 'value="abc"' in body and 'value="nie-email"' in body
    assert not PortalRequest.objects.exists()


def test_a_rejected_file_is_not_sent_even_when_the_rest_is_valid(client, client_user, acme_contract):
    # given a correct value change whose only file is rejected (a value change needs an attachment)
    form = {
        "idempotency_key": "k-fake-2",
        "contract_id": str(acme_contract.pk),
        "data__option": "new_purchase_price",
        "data__net_amount": "100 000,00",
        "data__currency": "PLN",
        "contact__name": "Anna Kowalska",
        "contact__phone": "601 234 567",
        "contact__email": "anna@acme.pl",
        **{f"declarations__{code}": "on" for code in KIND_DECLARATIONS[RequestKind.CONTRACT_VALUE_CHANGE]},
        "files": fake_pdf(),
    }

    response = logged_in(client, client_user).post(VALUE_CHANGE_URL, form)

    # then the file's own message, not "attach a document", and no request
    assert response.status_code == 400
    assert list(summary(response)) == ["f-attachment_ids"]
    assert "fake.pdf" in summary(response)["f-attachment_ids"]
    assert not PortalRequest.objects.exists()


# --- 2. the value change offers every currency, the contract's preselected (manual: PLN/EUR/CHF) -----------


def currency_options(body: str) -> list[str]:
    select = re.search(r'<select id="f-data__currency".*?</select>', body, flags=re.S)
    assert select, "no currency select"
    return re.findall(r'<option value="([A-Z]{3})"', select.group(0))


def selected_currency(body: str) -> str:
    select = re.search(r'<select id="f-data__currency".*?</select>', body, flags=re.S)
    return re.findall(r'<option value="([A-Z]{3})" selected', select.group(0))[0]


def test_the_value_change_form_offers_every_currency_with_the_contracts_preselected(
    client, client_user, acme
):
    pln = ContractFactory(client=acme, currency="PLN")
    eur = ContractFactory(client=acme, currency="EUR")
    web = logged_in(client, client_user)

    pln_page = web.get(f"{VALUE_CHANGE_URL}?contract={pln.pk}").content.decode()
    eur_page = web.get(f"{VALUE_CHANGE_URL}?contract={eur.pk}").content.decode()
    assert currency_options(pln_page) == currency_options(eur_page) == ["PLN", "EUR", "CHF"]
    assert (selected_currency(pln_page), selected_currency(eur_page)) == ("PLN", "EUR")
    # each contract option says its currency, for request_form.js when the choice changes
    body = web.get(VALUE_CHANGE_URL).content.decode()
    assert f'value="{eur.pk}" data-payment-day="10" data-currency="EUR"' in body


# --- 3. the summary of a submitted request --------------------------------------------------------------


def value_change(contract, amount: str = "350000.50", currency: str = "PLN") -> PortalRequest:
    data = {"option": "new_purchase_price", "net_amount": amount, "currency": currency}
    return PortalRequest(
        kind=RequestKind.CONTRACT_VALUE_CHANGE,
        contract=contract,
        form_data=data,
        status=RequestStatus.SUBMITTED,
    )


def test_the_value_change_rows_name_the_kind_of_change_and_show_the_currency(acme_contract):
    with translation.override("pl"):
        rows = dict(form_data_rows(value_change(acme_contract)))
        assert rows["Rodzaj zmiany"] == "Nowa cena zakupu"
        assert not {"Zmień", "Zmiana"} & set(rows)
        assert rows["Kwota netto po zmianie"] == f"350{NBSP}000,50{NBSP}zł"
        eur_rows = dict(form_data_rows(value_change(acme_contract, currency="EUR")))
        assert eur_rows["Kwota netto po zmianie"] == f"350{NBSP}000,50{NBSP}EUR"
    with translation.override("en"):
        rows = dict(form_data_rows(value_change(acme_contract, currency="EUR")))
        assert "Kind of change" in rows
        assert rows["Net amount after the change"] == f"350,000.50{NBSP}EUR"


def test_new_net_installments_show_the_contracts_currency(acme):
    contract = ContractFactory(client=acme, currency="EUR")
    schedule_change = PortalRequest(
        kind=RequestKind.SCHEDULE_CHANGE,
        contract=contract,
        form_data={"installment_option": "amount", "net_installments": ["2500.00", "2500.5"]},
        status=RequestStatus.SUBMITTED,
    )

    with translation.override("pl"):
        rows = dict(form_data_rows(schedule_change))

    assert rows["Nowe raty netto"] == f"2{NBSP}500,00{NBSP}EUR; 2{NBSP}500,50{NBSP}EUR"


def test_the_request_page_shows_the_amount_with_its_currency(client, client_user, acme_contract):
    web = logged_in(client, client_user)
    form = {
        "idempotency_key": "k-page",
        "contract_id": str(acme_contract.pk),
        "data__option": "additional_equipment",
        "data__net_amount": "130 000,50",
        "data__currency": "PLN",
        "contact__name": "Anna Kowalska",
        "contact__phone": "601 234 567",
        "contact__email": "anna@acme.pl",
        **{f"declarations__{code}": "on" for code in KIND_DECLARATIONS[RequestKind.CONTRACT_VALUE_CHANGE]},
        "files": SimpleUploadedFile("faktura.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    created = web.post(VALUE_CHANGE_URL, form)
    assert created.status_code == 302, summary(created)

    text = re.sub(r"[ \t\r\n]+", " ", visible_text(web.get(created["Location"]).content.decode()))

    assert "Rodzaj zmiany Doposażenie" in text
    assert f"130{NBSP}000,50{NBSP}zł" in text


# --- 4. the payment day hint -------------------------------------------------------------------------------


def payment_day_hint(body: str) -> str:
    hint = re.search(r'<p class="helptext" id="help-payment-day">(.*?)</p>', body, flags=re.S)
    assert hint, "no payment day hint"
    return " ".join(visible_text(hint.group(1)).split())


def checked_days(body: str) -> list[str]:
    return re.findall(r'name="data__payment_day" value="(\d+)" checked', body)


def test_a_current_day_that_is_no_option_is_said_and_nothing_preselected(client, client_user, acme):
    contract = ContractFactory(client=acme, payment_day=10)  # the options are 15, 20 and 25

    body = logged_in(client, client_user).get(f"{PAYMENT_DAY_URL}?contract={contract.pk}").content.decode()

    assert checked_days(body) == []
    hint = payment_day_hint(body)
    assert "Obecny dzień płatności umowy to 10: wybierz inny." in hint
    assert "zaznaczony" not in hint


def test_a_current_day_among_the_options_is_said_and_not_preselected(client, client_user, acme):
    """Preselected, it was refused as no change when sent (tests/portal_ui/test_payment_day_form.py)."""
    contract = ContractFactory(client=acme, payment_day=20)

    body = logged_in(client, client_user).get(f"{PAYMENT_DAY_URL}?contract={contract.pk}").content.decode()

    assert checked_days(body) == []
    assert "Obecny dzień płatności umowy to 20: wybierz inny." in payment_day_hint(body)
    assert re.search(r'name="data__payment_day" value="20" disabled', body)


# --- 5. the client data form's labels and IBAN field ---------------------------------------------------


def test_the_client_data_labels_are_capitalised_on_the_form_and_in_the_summary(client, client_user):
    web = logged_in(client, client_user)
    body = web.get("/requests/new/client_data_change/").content.decode()
    assert '<label for="f-data__email">E-mail</label>' in body
    assert '<label for="f-data__phone">Telefon</label>' in body
    assert '<label for="f-data__registered_postal_code">Kod pocztowy (siedziba)</label>' in body

    response = web.post("/requests/new/client_data_change/", {"data__email": "zly-adres", "data__phone": "1"})
    errors = summary(response)
    assert errors["f-data__email"].startswith("E-mail:")
    assert errors["f-data__phone"].startswith("Telefon:")


def test_the_iban_field_has_a_row_of_its_own(client, client_user):
    body = logged_in(client, client_user).get("/requests/new/client_data_change/").content.decode()

    field = re.search(r'<div class="([^"]*)">\s*<label for="f-data__bank_account">', body)
    assert field and "field-wide" in field.group(1).split()


# --- 6. and 7. messages that name what the user sees -------------------------------------------------------


def test_an_empty_comment_is_named_by_its_visible_label(client, client_user, acme, acme_contract):
    thread = start_thread(
        user=client_user,
        client=acme,
        subject="Faktura",
        category="invoices",
        body="Treść",
        contract=acme_contract,
    )

    response = logged_in(client, client_user).post(f"/messages/{thread.pk}/comment/", {"body": ""})

    assert response.status_code == 400
    assert summary(response)["id_body"].startswith("Twój komentarz:")


def test_an_other_reason_without_text_asks_for_it_in_a_sentence(client, client_user, acme_contract):
    form = {"idempotency_key": "k-other", "contract_id": str(acme_contract.pk), "data__reason": "other"}

    response = logged_in(client, client_user).post(PAYMENT_DAY_URL, form)

    assert summary(response)["f-data__reason_other"] == "Opisz powód: Napisz, jaki jest powód zmiany."


def test_the_reason_message_is_not_the_label_in_english(client, client_user, acme_contract):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    form = {"idempotency_key": "k-other-en", "contract_id": str(acme_contract.pk), "data__reason": "other"}

    response = logged_in(client, client_user).post(PAYMENT_DAY_URL, form)

    label, message = summary(response)["f-data__reason_other"].split(": ", 1)
    assert label == "Describe the reason"
    assert message.rstrip(".") != label
