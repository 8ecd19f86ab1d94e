"""A buyout quote whose request was withdrawn reads "Anulowana" / "Cancelled", as its request does, on
the client's quote page and in its PDF, not "Wygasła" (expired) while still within its date."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from backend.contracts.models import BuyoutQuote
from tests.client_correctness.helpers import visible_text
from tests.files15.test_buyout_and_schedule_files import quote_pdf, squeezed
from tests.requests_app.test_early_termination import make_quote, request_from

pytestmark = pytest.mark.django_db


def test_a_withdrawn_requests_quote_is_cancelled_in_both_languages(
    client, api_as, client_user, acme_contract
):
    client_api = api_as(client_user)
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)

    # when the client withdraws the request
    assert client_api.post(f"/api/requests/{submitted['id']}/cancel/").status_code == 200

    # then the quote, still within its date, is cancelled with it
    stored = BuyoutQuote.objects.get(pk=quote["id"])
    assert stored.status == BuyoutQuote.Status.CANCELLED
    with translation.override("pl"):
        assert stored.get_status_display() == "Anulowana"
    with translation.override("en"):
        assert stored.get_status_display() == "Cancelled"
    client.force_login(client_user)
    url = reverse("buyout-quote-page", args=[acme_contract.pk, quote["id"]])
    page = visible_text(client.get(url).content.decode())
    assert "Anulowana" in page and "Wygasła" not in page
    text = quote_pdf(client_api, quote["id"], acme_contract)
    assert squeezed("Status Anulowana") in text
    assert squeezed("został wycofany lub anulowany: wycena nie jest już wiążąca") in text
    assert squeezed("Wycena jest ważna do") not in text
