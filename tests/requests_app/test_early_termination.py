"""Buyout / early termination through the API, driving the real bpmn/early_termination.bpmn: quote, PDF,
request, staff approve / counter / reject, the client's answer to a counter-offer, expiry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.contracts.models import BuyoutQuote, Contract
from backend.requests_app.models import PortalRequest, RequestEvent, RequestFee
from tests.requests_app.helpers import all_declarations, contact, submission
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db
KIND = "early_termination"


@pytest.fixture
def client_api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def staff_api(api_as, bok_staff):
    return api_as(bok_staff)


def effective(days: int = 20):
    return timezone.localdate() + timedelta(days=days)


def make_quote(api, contract, days: int = 20) -> dict:
    response = api.post(
        f"/api/contracts/{contract.pk}/buyout-quotes/",
        {"effective_date": effective(days).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def request_from(api, contract, quote: dict) -> dict:
    response = api.post(
        f"/api/contracts/{contract.pk}/buyout-quotes/{quote['id']}/request/",
        {"contact": contact(), "declarations": all_declarations(KIND)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_quote_is_computed_from_the_schedule_and_stored(client_api, acme_contract):
    # when
    quote = make_quote(client_api, acme_contract)

    # then its parts add up to the total and it is valid 14 days (before the effective date)
    parts = [Decimal(quote[k]) for k in ("capital_remaining", "residual_value", "interest", "fee", "vat")]
    assert sum(parts) == Decimal(quote["total"])
    assert quote["status"] == "offered"
    assert quote["valid_until"] == (timezone.localdate() + timedelta(days=14)).isoformat()
    assert quote["number"].startswith(f"WK/{timezone.localdate().year}/")
    last_due = acme_contract.schedule_rows.filter(due_date__lte=effective()).order_by("-number").first()
    assert (
        Decimal(quote["capital_remaining"]) + Decimal(quote["residual_value"]) == last_due.capital_remaining
    )
    assert Decimal(quote["residual_value"]) == acme_contract.residual_value
    assert client_api.get(f"/api/contracts/{acme_contract.pk}/buyout-quotes/").json()[0]["id"] == quote["id"]


@pytest.mark.parametrize(
    "effective_date, field_error",
    [
        ((timezone.localdate() - timedelta(days=1)).isoformat(), "przeszłości"),
        ((timezone.localdate() + timedelta(days=5000)).isoformat(), "późniejsza niż termin ostatniej raty"),
        ("31.02.2026", None),
    ],
)
def test_an_impossible_date_is_refused_in_the_error_shape(
    client_api, acme_contract, effective_date, field_error
):
    response = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/",
        {"effective_date": effective_date},
        format="json",
        HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert "effective_date" in body["fields"]
    if field_error:
        assert field_error in body["fields"]["effective_date"][0]
    assert not BuyoutQuote.objects.exists()


def test_another_clients_contract_and_quote_are_not_found(
    client_api, api_as, other_client_user, acme_contract, other_contract
):
    quote = make_quote(client_api, acme_contract)
    other = api_as(other_client_user)
    assert (
        other.post(
            f"/api/contracts/{acme_contract.pk}/buyout-quotes/",
            {"effective_date": effective().isoformat()},
            format="json",
        ).status_code
        == 404
    )
    assert other.get(f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/pdf/").status_code == 404
    response = other.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/request/",
        {"contact": contact(), "declarations": all_declarations(KIND)},
        format="json",
    )
    assert response.status_code == 404


def test_the_quote_downloads_as_a_pdf_in_polish_and_english(client_api, acme_contract):
    quote = make_quote(client_api, acme_contract)
    for lang, name in (("pl", "wycena-wykupu-WK-"), ("en", "buyout-quote-WK-")):
        response = client_api.get(
            f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/pdf/?lang={lang}"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert name in response["Content-Disposition"]  # the file is named in the PDF's language


def test_the_pdf_text_has_the_figures_in_polish_format(acme_contract, client_user):
    from backend.contracts.buyout_pdf import render_quote_html
    from backend.contracts.buyout_services import create_quote
    from backend.core.money import format_amount

    quote = create_quote(
        user=client_user, client=acme_contract.client, contract=acme_contract, effective_date=effective()
    )
    html = render_quote_html(quote, lang="pl")
    assert format_amount(quote.total) in html and "," in format_amount(quote.total)
    assert "Wycena jest ważna do" in html and "Kapitał pozostały" in html
    assert quote.valid_until.strftime("%d.%m.%Y") in html
    english = render_quote_html(quote, lang="en")
    assert format_amount(quote.total, lang="en") in english and quote.valid_until.isoformat() in english


def test_approval_makes_the_quote_binding_and_ends_the_contract(client_api, staff_api, acme_contract):
    quote = make_quote(client_api, acme_contract)

    # when the client submits it and staff approve
    submitted = request_from(client_api, acme_contract, quote)
    assert submitted["status"] == "in_review" and submitted["quote"]["status"] == "requested"
    response = staff_api.post(f"/api/staff/requests/{submitted['id']}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()

    # then the contract is bought out on the effective date (active until then) and the quote is
    # accepted at its total
    assert response.json()["status"] == "completed"
    contract = Contract.objects.get(pk=acme_contract.pk)
    assert contract.status == Contract.Status.ACTIVE
    assert contract.end_date == effective()
    assert not contract.schedule_rows.filter(due_date__gt=effective()).exists()
    stored = BuyoutQuote.objects.get(pk=quote["id"])
    assert stored.status == "accepted" and stored.accepted_total == Decimal(quote["total"])
    assert PortalRequest.objects.get(pk=submitted["id"]).decision_document is not None


def test_a_quote_serves_one_request_only(client_api, acme_contract):
    quote = make_quote(client_api, acme_contract)
    request_from(client_api, acme_contract, quote)

    # the generic submit with the same quote is refused next to the field
    response = client_api.post(
        "/api/requests/",
        submission(KIND, contract=acme_contract, data={"quote_id": quote["id"]}),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["data.quote_id"] == ["Ta wycena została już wykorzystana we wniosku."]


def test_the_generic_submit_accepts_a_quote_too(client_api, acme_contract):
    quote = make_quote(client_api, acme_contract)
    response = client_api.post(
        "/api/requests/",
        submission(KIND, contract=acme_contract, data={"quote_id": quote["id"]}),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert BuyoutQuote.objects.get(pk=quote["id"]).status == "requested"


def test_counter_offer_accepted_by_the_client_then_approved_at_the_new_total(
    client_api, staff_api, acme_contract
):
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)

    # when staff counter
    countered = staff_api.post(
        f"/api/staff/requests/{submitted['id']}/buyout-counter/",
        {"total": "50000.00", "reason": "Rabat za terminowe płatności"},
        format="json",
    )
    assert countered.status_code == 200, countered.json()
    assert countered.json()["status"] == "waiting_for_client"
    assert countered.json()["quote"]["status"] == "countered"
    assert RequestEvent.objects.filter(
        request_id=submitted["id"], kind="question", message__contains="50"
    ).exists()

    # and the client accepts
    answered = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/counter-answer/",
        {"accept": True},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "in_review"
    assert answered.json()["quote"]["counter_response"] == "accepted"

    # then staff approve and the counter total is what binds
    approved = staff_api.post(f"/api/staff/requests/{submitted['id']}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    stored = BuyoutQuote.objects.get(pk=quote["id"])
    assert stored.status == "accepted" and stored.accepted_total == Decimal("50000.00")
    assert Contract.objects.get(pk=acme_contract.pk).end_date == stored.effective_date


def test_counter_offer_declined_ends_the_request_and_keeps_the_contract(client_api, staff_api, acme_contract):
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    staff_api.post(
        f"/api/staff/requests/{submitted['id']}/buyout-counter/",
        {"total": "99999.00", "reason": "Koszty"},
        format="json",
    )

    # approving while the counter-offer waits for the client is not possible
    assert (
        staff_api.post(f"/api/staff/requests/{submitted['id']}/approve/", {}, format="json").status_code
        == 409
    )

    answered = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/counter-answer/",
        {"accept": False, "message": "Za drogo"},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "cancelled"
    assert BuyoutQuote.objects.get(pk=quote["id"]).status == "declined"
    assert Contract.objects.get(pk=acme_contract.pk).status == Contract.Status.ACTIVE
    # a second answer finds no counter-offer waiting
    again = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/counter-answer/",
        {"accept": True},
        format="json",
    )
    assert again.status_code == 409


def test_rejection_releases_the_quote(client_api, staff_api, acme_contract):
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    response = staff_api.post(
        f"/api/staff/requests/{submitted['id']}/reject/",
        {"reason": "Zaległości w płatnościach"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert BuyoutQuote.objects.get(pk=quote["id"]).status == "declined"
    assert Contract.objects.get(pk=acme_contract.pk).status == Contract.Status.ACTIVE


def test_an_expired_quote_cannot_be_requested_or_approved(client_api, staff_api, acme_contract):
    stale = make_quote(client_api, acme_contract)
    BuyoutQuote.objects.filter(pk=stale["id"]).update(valid_until=timezone.localdate() - timedelta(days=1))
    detail = client_api.get(f"/api/contracts/{acme_contract.pk}/buyout-quotes/{stale['id']}/").json()
    assert detail["status"] == "expired"
    response = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{stale['id']}/request/",
        {"contact": contact(), "declarations": all_declarations(KIND)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["data.quote_id"] == ["Wycena wygasła: poproś o nową."]

    # a quote that expires while staff review it cannot be approved: staff counter or reject
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    BuyoutQuote.objects.filter(pk=quote["id"]).update(valid_until=timezone.localdate() - timedelta(days=1))
    refused = staff_api.post(f"/api/staff/requests/{submitted['id']}/approve/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "buyout_quote_refused"
    assert PortalRequest.objects.get(pk=submitted["id"]).status == "in_review"
    assert Contract.objects.get(pk=acme_contract.pk).status == Contract.Status.ACTIVE


def test_a_counter_offer_past_its_date_cannot_be_accepted(client_api, staff_api, acme_contract):
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    staff_api.post(
        f"/api/staff/requests/{submitted['id']}/buyout-counter/",
        {"total": "1000.00", "reason": "Oferta"},
        format="json",
    )
    BuyoutQuote.objects.filter(pk=quote["id"]).update(
        counter_valid_until=timezone.localdate() - timedelta(days=1)
    )
    response = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/counter-answer/",
        {"accept": True},
        format="json",
    )
    assert response.status_code == 400
    assert PortalRequest.objects.get(pk=submitted["id"]).status == "waiting_for_client"


def test_the_type_is_in_the_catalogue_with_its_fee_and_its_flow_passed_the_test_run(client_api):
    catalogue = client_api.get("/api/requests/catalogue/").json()
    kinds = [k for t in catalogue for k in t["kinds"]] if isinstance(catalogue, list) else []
    if not kinds:  # the catalogue may be wrapped
        kinds = [k for t in catalogue["types"] for k in t["kinds"]]
    entry = next(k for k in kinds if k["kind"] == KIND)
    assert entry["needs_contract"] is True
    assert entry["label"]["pl"] == "Wykup / wcześniejsze zakończenie umowy"
    assert RequestFee.objects.get(kind=KIND).amount == Decimal("0.00")
    version = ProcessVersion.objects.get(process_key=KIND)
    assert version.test_run["passed"] is True


def test_the_daily_sweep_expires_free_offers_only(client_api, acme_contract):
    from backend.contracts.tasks import expire_buyout_quotes

    free = make_quote(client_api, acme_contract)
    held = make_quote(client_api, acme_contract)
    request_from(client_api, acme_contract, held)
    yesterday = timezone.localdate() - timedelta(days=1)
    BuyoutQuote.objects.update(valid_until=yesterday)

    assert expire_buyout_quotes() == 1

    assert BuyoutQuote.objects.get(pk=free["id"]).status == "expired"
    # the quote a request holds keeps its status for staff to counter; it reads as expired
    assert BuyoutQuote.objects.get(pk=held["id"]).status == "requested"
    assert (
        client_api.get(f"/api/contracts/{acme_contract.pk}/buyout-quotes/{held['id']}/").json()["status"]
        == "expired"
    )


def test_a_loans_quote_is_vat_exempt_zw_not_zero_percent(acme_contract, client_user):
    from backend.contracts.buyout_pdf import render_quote_html
    from backend.contracts.buyout_services import create_quote
    from backend.requests_app.buyout_effects import quote_summary

    Contract.objects.filter(pk=acme_contract.pk).update(type=Contract.Type.LOAN)
    acme_contract.refresh_from_db()
    quote = create_quote(
        user=client_user, client=acme_contract.client, contract=acme_contract, effective_date=effective()
    )

    assert quote.vat_rate == 0 and quote.is_vat_exempt
    html = render_quote_html(quote, lang="pl")
    assert "VAT: zw (art. 43 ust. 1 pkt 38 ustawy o VAT)" in html
    assert "zwolnioną z VAT" in html and "VAT 0%" not in html
    assert "VAT: exempt (art. 43 ust. 1 pkt 38 ustawy o VAT)" in render_quote_html(quote, lang="en")
    summary = " ".join(quote_summary(quote))
    assert "VAT: zw (art. 43" in summary and "VAT 0,00" not in summary


def test_a_leases_quote_keeps_its_vat_rate(acme_contract, client_user):
    from backend.contracts.buyout_pdf import render_quote_html
    from backend.contracts.buyout_services import create_quote

    quote = create_quote(
        user=client_user, client=acme_contract.client, contract=acme_contract, effective_date=effective()
    )

    assert not quote.is_vat_exempt
    assert "VAT 23%" in render_quote_html(quote, lang="pl")
