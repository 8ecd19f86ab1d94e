"""The live re-fetch of a request's state carries the page's other parts too (request data, attachments,
the buyout panel), so a counter-offer's answer buttons arrive without a reload (live.js puts them in place)."""

from __future__ import annotations

import re

import pytest

from tests.requests_app.test_early_termination import make_quote, request_from

pytestmark = pytest.mark.django_db


def live_part(html: str, name: str) -> str:
    match = re.search(rf'<template data-live-for="{name}">(.*?)</template>', html, re.S)
    assert match, f"no live part {name}"
    return match.group(1)


def test_the_state_refetch_brings_the_counter_offer_with_its_answer_buttons(
    api_as, client, client_user, bok_staff, acme_contract
):
    # given: the client's buyout request, its page open
    api = api_as(client_user)
    quote = make_quote(api, acme_contract)
    request = request_from(api, acme_contract, quote)
    client.force_login(client_user)
    page = client.get(f"/requests/{request['id']}/").content.decode()
    assert 'id="buyout-live"' in page and 'id="accept-counter"' not in page

    # when: staff send a counter-offer and the page re-fetches its state
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request['id']}/buyout-counter/",
        {"total": "1000.00", "reason": "Rabat"},
        format="json",
    )
    assert response.status_code == 200, response.content
    state = client.get(f"/requests/{request['id']}/status/").content.decode()

    # then: the buyout part of the state holds the counter-offer and the buttons to accept or decline it
    buyout = live_part(state, "buyout-live")
    assert 'data-testid="counter-total"' in buyout and 'id="accept-counter"' in buyout
    assert "csrfmiddlewaretoken" in buyout
    # and the request data and attachments come along too
    assert '<dl class="data-list">' in live_part(state, "request-data")
    assert "file-list" in live_part(state, "request-attachments") or "muted" in live_part(
        state, "request-attachments"
    )
