"""The request form: an error summary that names each field in form order with a link, and maxlength
attributes equal to what the server accepts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.models import PortalRequest, RequestKind
from backend.requests_app.validation import DATA_SERIALIZERS, ContactSerializer
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def summary_links(body: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="alert error error-summary".*?</div>', body, flags=re.S)
    assert summary, "no error summary"
    return [
        (href, visible_text(text).strip())
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(0), flags=re.S)
    ]


def test_empty_fields_are_named_in_form_order_and_linked(client, client_user):
    form = {"idempotency_key": "k-1", "data__subject": "", "data__message": "", "contact__name": ""}
    response = logged_in(client, client_user).post("/requests/new/other_request/", form)
    assert response.status_code == 400
    body = response.content.decode()
    links = summary_links(body)
    ids = [href for href, _text in links]
    expected_order = [
        "f-data__subject",
        "f-data__message",
        "f-contact__name",
        "f-contact__phone",
        "f-contact__email",
        *(f"f-declarations__{code}" for code in KIND_DECLARATIONS[RequestKind.OTHER_REQUEST]),
    ]
    assert ids == expected_order
    labels = [text.split(":", 1)[0] for _href, text in links]
    assert labels[:5] == ["Temat", "Wiadomość", "Imię i nazwisko", "Telefon", "E-mail"]
    for href in ids:
        assert f'id="{href}"' in body, href  # each link lands on its field
    # No message without its field's name.
    assert all(":" in text for _href, text in links)


def test_the_client_data_form_names_its_fields(client, client_user):
    form = {"idempotency_key": "k-2", "data__email": "zly-adres", "data__phone": "123"}
    response = logged_in(client, client_user).post("/requests/new/client_data_change/", form)
    links = summary_links(response.content.decode())
    assert [href for href, _text in links][:2] == ["f-data__email", "f-data__phone"]
    assert links[0][1].startswith("E-mail:")


def test_the_message_form_uses_the_same_summary(client, client_user):
    response = logged_in(client, client_user).post("/messages/new/", {"subject": "", "body": ""})
    links = summary_links(response.content.decode())
    assert [href for href, _text in links][:1] == ["id_subject"]


def maxlengths(body: str) -> dict[str, int]:
    found = {}
    for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        length = re.search(r'maxlength="(\d+)"', tag)
        if name and length:
            found[name.group(1)] = int(length.group(1))
    return found


def submit_form_page(web, kind: str, contract) -> tuple[str, str]:
    """The page holding the kind's submit form and the prefix of its contact inputs.

    A buyout is asked for from a stored quote of the contract (the wizard leads there)."""
    if kind != RequestKind.EARLY_TERMINATION:
        return web.get(f"/requests/new/{kind}/").content.decode(), "contact__"
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    created = web.post(f"/contracts/{contract.pk}/buyout/", {"effective_date": effective})
    return web.get(created["Location"]).content.decode(), "contact_"


@pytest.mark.parametrize("kind", list(RequestKind))
def test_maxlength_equals_the_servers_limit(client, client_user, acme_contract, kind):
    body, contact_prefix = submit_form_page(logged_in(client, client_user), kind, acme_contract)
    found = maxlengths(body)
    expected = {
        f"{contact_prefix}{n}": f.max_length for n, f in ContactSerializer().fields.items() if f.max_length
    }
    for name, field in DATA_SERIALIZERS[kind]().fields.items():
        # Text fields only: a list's max_length counts items, not characters.
        if isinstance(field, serializers.CharField) and field.max_length and f'name="data__{name}"' in body:
            expected[f"data__{name}"] = field.max_length
    assert expected
    for name, length in expected.items():
        assert found.get(name) == length, name


def other_request_form(subject: str) -> dict:
    return {
        "idempotency_key": f"k-{len(subject)}",
        "data__subject": subject,
        "data__message": "Treść.",
        "contact__name": "Anna Kowalska",
        "contact__phone": "+48 601 234 567",
        "contact__email": "anna.kowalska@acme.pl",
        **{f"declarations__{c}": "on" for c in KIND_DECLARATIONS[RequestKind.OTHER_REQUEST]},
    }


def test_the_server_refuses_one_character_more_than_maxlength(client, client_user):
    browser = logged_in(client, client_user)
    body = browser.get("/requests/new/other_request/").content.decode()
    limit = maxlengths(body)["data__subject"]
    assert (
        browser.post("/requests/new/other_request/", other_request_form("x" * (limit + 1))).status_code == 400
    )
    assert browser.post("/requests/new/other_request/", other_request_form("x" * limit)).status_code == 302
    assert PortalRequest.objects.count() == 1
