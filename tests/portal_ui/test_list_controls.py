"""Controls shared by the list pages: the choice filters (one partial) and the sortable column headers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    client.force_login(user)
    return client


def select_html(body: str, select_id: str) -> str:
    match = re.search(
        rf'<label for="{select_id}">[^<]*</label>\s*<select id="{select_id}".*?</select>', body, re.S
    )
    assert match, f"no labelled select #{select_id}"
    return match.group(0)


# --- choice filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "select_id", "param", "value"),
    [
        ("invoices", "f-status", "status", "overdue"),
        ("invoices", "f-currency", "currency", "EUR"),
        ("contracts", "f-type", "type", "operating_lease"),
        ("documents", "f-kind", "kind", "compensation_note"),
        ("messages", "f-category", "category", "invoices"),
        ("request-list", "flt-status", "status", "open"),
        ("request-list", "flt-kind", "kind", "other_request"),
    ],
)
def test_client_choice_filters_offer_all_first_and_keep_the_chosen_value(
    client, client_user, acme, name, select_id, param, value
):
    # given a client on a list page filtered by one choice
    body = logged_in(client, client_user).get(reverse(name), {param: value}).content.decode()
    # then the select is labelled, starts with "All" and keeps the submitted value selected
    html = select_html(body, select_id)
    assert f'name="{param}"' in html
    assert re.search(r'<select[^>]*>\s*<option value="">Wszystkie</option>', html)
    assert f'<option value="{value}" selected>' in html
    assert html.count(" selected") == 1


def test_contract_choice_filter_keeps_the_chosen_contract(client, client_user, acme):
    first, second = ContractFactory(client=acme), ContractFactory(client=acme)
    for name, select_id in [
        ("invoices", "f-contract"),
        ("messages", "f-contract"),
        ("request-list", "flt-contract"),
    ]:
        body = logged_in(client, client_user).get(reverse(name), {"contract": second.pk}).content.decode()
        html = select_html(body, select_id)
        assert f'<option value="{second.pk}" selected>{second.number}</option>' in html
        assert f'<option value="{first.pk}">{first.number}</option>' in html


def test_staff_choice_filters_keep_values_and_name_the_empty_choice(client, bok_staff):
    body = (
        logged_in(client, bok_staff)
        .get(reverse("staff-task-list"), {"stage": "staff_review", "assignee": "none"})
        .content.decode()
    )
    assert '<option value="staff_review" selected>' in select_html(body, "flt-stage")
    assignee = select_html(body, "flt-assignee")
    assert '<option value="">Ktokolwiek</option>' in assignee
    assert '<option value="none" selected>' in assignee and '<option value="me">' in assignee
