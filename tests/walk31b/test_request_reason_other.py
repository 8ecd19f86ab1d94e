"""Client walk 31b: the payment day change's "Opisz powód" (describe the reason) box, shown once the reason
"Inny" (other) is chosen, carried no required mark, so a client left it empty and the server refused the
request for it. Shown only for that reason, where it is required, it is marked so."""

from __future__ import annotations

import re

import pytest

from backend.requests_app.models import RequestKind
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def test_the_other_reasons_text_is_marked_required(client, client_user, acme_contract):
    html = (
        logged_in(client, client_user)
        .get(f"/requests/new/{RequestKind.PAYMENT_DATE_CHANGE}/")
        .content.decode()
    )

    box = re.search(r'<div data-show-when="data__reason=other"[^>]*>(.*?)</div>', html, re.S).group(1)
    label = re.search(r'<label for="f-data__reason_other">(.*?)</label>', box, re.S).group(1)
    assert 'Opisz powód <span class="req" aria-hidden="true">*</span>' in label
    field = re.search(r'<input [^>]*id="f-data__reason_other"[^>]*>', box).group(0)
    assert " required" in field


def test_the_schedule_changes_new_net_amounts_are_marked_required_where_asked(
    client, client_user, acme_contract
):
    # the schedule change asks for new amounts once the client chooses to give them ("amount")
    html = (
        logged_in(client, client_user).get(f"/requests/new/{RequestKind.SCHEDULE_CHANGE}/").content.decode()
    )

    label = re.search(r'<label for="f-data__net_installments">(.*?)</label>', html, re.S).group(1)
    assert '<span class="req" aria-hidden="true">*</span>' in label
    field = re.search(r"<textarea [^>]*id=\"f-data__net_installments\"[^>]*>", html).group(0)
    assert " required" in field
