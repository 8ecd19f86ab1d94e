"""A counter-offer gives way on the quote: above zero, at most the quote's total (API, staff page, schema)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.contracts.models import BuyoutQuote
from backend.requests_app.models import PortalRequest
from tests.requests_app.test_early_termination import make_quote, request_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(api_as, client_user, acme_contract) -> tuple[dict, dict]:
    api = api_as(client_user)
    quote = make_quote(api, acme_contract)
    return quote, request_from(api, acme_contract, quote)


def counter(api, request_id: int, total: str):
    return api.post(
        f"/api/staff/requests/{request_id}/buyout-counter/",
        {"total": total, "reason": "Rabat"},
        format="json",
    )


@pytest.mark.parametrize(("language", "text"), [("pl", "nie może być wyższa"), ("en", "cannot be higher")])
def test_a_total_above_the_quote_is_refused_with_a_field_error(api_as, bok_staff, submitted, language, text):
    quote, request = submitted
    bok_staff.language = language
    bok_staff.save(update_fields=["language"])

    # when: the tester's absurd total, and one grosz above the quote
    absurd = counter(api_as(bok_staff), request["id"], "99999999999.99")
    above = counter(api_as(bok_staff), request["id"], str(Decimal(quote["total"]) + Decimal("0.01")))

    # then
    for response in (absurd, above):
        assert response.status_code == 400, response.content
        [problem] = response.json()["fields"]["total"]
        assert text in problem
        assert text in response.json()["message"]
    assert BuyoutQuote.objects.get(pk=quote["id"]).status == BuyoutQuote.Status.REQUESTED
    assert PortalRequest.objects.get(pk=request["id"]).status == "in_review"


def test_the_quotes_own_total_is_a_valid_counter_offer(api_as, bok_staff, submitted):
    quote, request = submitted

    response = counter(api_as(bok_staff), request["id"], quote["total"])

    assert response.status_code == 200, response.content
    assert BuyoutQuote.objects.get(pk=quote["id"]).counter_total == Decimal(quote["total"])


def test_the_generic_staff_task_is_bounded_the_same(api_as, bok_staff, submitted):
    quote, request = submitted

    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request['id']}/complete/",
        {"data": {"decision": "counter", "counter_total": "99999999999.99", "counter_reason": "Koszty"}},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "counter_total" in response.json()["fields"]
    assert BuyoutQuote.objects.get(pk=quote["id"]).counter_total is None


def test_the_staff_page_says_why(client, bok_staff, submitted):
    quote, request = submitted
    client.force_login(bok_staff)

    # when
    response = client.post(
        f"/staff/tasks/{request['id']}/buyout-counter/",
        {"total": "99999999999,99", "reason": "Rabat"},
        follow=True,
    )

    # then
    assert "Kontroferta nie może być wyższa niż kwota wyceny" in response.content.decode()
    assert BuyoutQuote.objects.get(pk=quote["id"]).counter_total is None


def test_the_schema_allows_no_negative_total():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    total = schema["components"]["schemas"]["CounterOfferInputRequest"]["properties"]["total"]
    assert "-" not in total["pattern"]
