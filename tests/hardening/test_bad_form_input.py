"""Ids in form bodies and page links are checked like those in query strings: "²" is a digit to
str.isdigit but not to int(), and 2**70 overflows SQLite; neither may reach a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

BAD_IDS = ["²", "abc", str(2**70), "-1", "1.5"]


@pytest.mark.parametrize("raw", BAD_IDS)
def test_new_message_with_a_malformed_contract_id_is_a_field_error(api_as, client_user, acme_contract, raw):
    # when
    response = api_as(client_user).post(
        "/api/messages/",
        {"category": "other", "subject": "Pytanie", "body": "Treść", "contract_id": raw},
        format="multipart",
    )

    # then
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("raw", BAD_IDS)
def test_request_wizard_link_with_a_malformed_contract_is_ignored(client, client_user, raw):
    # given
    client.force_login(client_user)

    # when
    response = client.get(reverse("request-new"), {"kind": "payment_date_change", "contract": raw})

    # then: straight to the kind's form, without the malformed contract
    assert response.status_code == 302
    assert response["Location"] == reverse("request-new-kind", args=["payment_date_change"])


@pytest.mark.parametrize("raw", BAD_IDS)
def test_request_form_with_a_malformed_contract_or_attachment_id_answers_the_form(client, client_user, raw):
    # given
    client.force_login(client_user)

    # when
    response = client.post(
        reverse("request-new-kind", args=["other_request"]),
        {"contract_id": raw, "attachment_ids": [raw], "contact__name": "Anna"},
    )

    # then: the form again with its errors, never a server error
    assert response.status_code in {200, 400}
