"""A request form refused without a reason chosen named "Opisz powód" (describe the reason) as required, a
box shown only for the reason "other" and hidden then: the summary's link led nowhere. The submit schema's
`if` (reason is "other") held for a body without any reason (JSON Schema's `properties` passes when the key
is absent); it now asks for the reason's presence too. The same for the schedule change's new amounts."""

from __future__ import annotations

import pytest

from backend.requests_app.models import RequestKind
from tests.client_correctness.test_forms import summary_links
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def _refused(client, client_user, kind: str, form: dict) -> dict[str, str]:
    response = logged_in(client, client_user).post(f"/requests/new/{kind}/", form)
    assert response.status_code == 400
    return dict(summary_links(response.content.decode()))


def test_no_reason_chosen_names_the_reason_not_the_hidden_other_reason_box(
    client, client_user, acme_contract
):
    form = {"contract_id": str(acme_contract.pk), "data__payment_day": "20", "data__reason": ""}

    errors = _refused(client, client_user, RequestKind.PAYMENT_DATE_CHANGE, form)

    assert "f-data__reason" in errors
    assert "f-data__reason_other" not in errors, errors


def test_the_other_reason_is_still_required_for_the_reason_other(client, client_user, acme_contract):
    form = {"contract_id": str(acme_contract.pk), "data__payment_day": "20", "data__reason": "other"}

    errors = _refused(client, client_user, RequestKind.PAYMENT_DATE_CHANGE, form)

    assert "f-data__reason_other" in errors


def test_no_installment_option_does_not_ask_for_the_hidden_new_amounts(client, client_user, acme_contract):
    form = {"contract_id": str(acme_contract.pk), "data__months": "12"}

    errors = _refused(client, client_user, RequestKind.SCHEDULE_CHANGE, form)

    assert "f-data__net_installments" not in errors, errors
