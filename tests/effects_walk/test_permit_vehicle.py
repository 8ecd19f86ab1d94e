"""A permit is for the vehicle the client chose when the contract has several (form, API, PDF and the
verification page name it), the PDF carries its issue date, and a policy ending before the return is
named as the reason, with its end date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone

from backend.contracts.models import InsurancePolicy
from backend.core.money import format_date
from backend.permits.models import VehiclePermit
from backend.permits.pdf import permit_html
from tests.effects_walk.helpers import page_text, submit
from tests.factories import ContractFactory, InsurancePolicyFactory, LeasedItemFactory, SerialNumberFactory
from tests.permits.test_permit_api import trip

pytestmark = pytest.mark.django_db
KIND = "vehicle_abroad_permit"


@pytest.fixture
def fleet(acme):
    """LF/2025/01000012: a Renault Master and a MAN TGX, each with its VIN, insured in Europe."""
    contract = ContractFactory(client=acme, number="LF/2025/01000012")
    master = LeasedItemFactory(contract=contract, name="Renault Master")
    SerialNumberFactory(item=master, kind="VIN", value="VF1MA000012345678")
    tgx = LeasedItemFactory(contract=contract, name="MAN TGX")
    SerialNumberFactory(item=tgx, kind="VIN", value="WMA06XZZ7NP123456")
    InsurancePolicyFactory(contract=contract, territorial_scope="europe", number="ALZ/2025/01000015")
    return contract, master, tgx


def test_the_client_must_choose_when_the_contract_has_several_vehicles(api_as, client_user, fleet):
    contract, _master, _tgx = fleet
    response = submit(api_as(client_user), KIND, contract, trip())
    assert response.status_code == 400
    assert response.json()["fields"]["data.item_id"] == [
        "Umowa obejmuje kilka pojazdów: wybierz ten, który wyjeżdża za granicę."
    ]


def test_a_vehicle_of_another_contract_is_refused(api_as, client_user, fleet, acme):
    contract, _master, _tgx = fleet
    other = LeasedItemFactory(contract=ContractFactory(client=acme), name="Skoda Octavia")
    response = submit(api_as(client_user), KIND, contract, {**trip(), "item_id": other.pk})
    assert response.status_code == 400
    assert response.json()["fields"]["data.item_id"] == ["Wybierz pojazd z wybranej umowy."]


def test_the_permit_is_for_the_chosen_vehicle_with_its_issue_date(
    api_as, client_user, fleet, django_capture_on_commit_callbacks
):
    contract, _master, tgx = fleet
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(api_as(client_user), KIND, contract, {**trip(), "item_id": tgx.pk})
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "completed"

    permit = VehiclePermit.objects.get(request_id=response.json()["id"])
    assert (permit.vehicle, permit.vin) == ("MAN TGX", "WMA06XZZ7NP123456")
    html = permit_html(permit, request_number="WN/1", contract_number=contract.number)
    assert "MAN TGX" in html and "WMA06XZZ7NP123456" in html and "Renault Master" not in html
    today = timezone.localdate()
    assert "Data wydania" in html and "Issued on" in html
    assert format_date(today) in html and format_date(today, lang="en") in html
    # the public verification page names the same vehicle and the issue date
    text = page_text(PageClient(), reverse("permit-verify", args=[permit.code]))
    assert "MAN TGX · VIN WMA06XZZ7NP123456" in text
    assert f"Data wydania {format_date(today)}" in text
    # and the request's pages name it too
    page = PageClient()
    page.force_login(client_user)
    text = page_text(page, reverse("request-page", args=[permit.request_id]))
    assert "Pojazd MAN TGX (VIN WMA06XZZ7NP123456)" in text


def test_the_form_offers_each_contracts_vehicles(client_user, fleet, django_capture_on_commit_callbacks):
    contract, master, tgx = fleet
    page = PageClient()
    page.force_login(client_user)
    html = page.get(reverse("request-new-permit") + f"?contract={contract.pk}").content.decode()
    assert f'<optgroup label="{contract.number}" data-contract="{contract.pk}">' in html
    assert f'<option value="{tgx.pk}">MAN TGX (VIN WMA06XZZ7NP123456)</option>' in html

    data = trip()
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(
            reverse("request-new-permit"),
            {
                "idempotency_key": "permit-1",
                "contract_id": str(contract.pk),
                "data__item_id": str(tgx.pk),
                "data__countries": data["countries"],
                "data__date_from": data["date_from"],
                "data__date_to": data["date_to"],
                "contact__name": "Jan Kowalski",
                "contact__phone": "600100200",
                "contact__email": "jan@example.com",
                **{f"declarations__{c}": "on" for c in ("data_true", "privacy_notice", "authorised")},
            },
        )
    assert response.status_code == 302
    assert VehiclePermit.objects.get().vin == "WMA06XZZ7NP123456"


def test_a_policy_ending_before_the_trip_is_the_reason_named(api_as, client_user, bok_staff, fleet):
    contract, master, _tgx = fleet
    today = timezone.localdate()
    policy_end = today + timedelta(days=1)
    InsurancePolicy.objects.filter(contract=contract).update(period_end=policy_end)
    data = trip(start=11, days=11)  # from today + 11 days: after the policy's end

    response = submit(api_as(client_user), KIND, contract, {**data, "item_id": master.pk})

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "in_review"
    history = api_as(bok_staff).get(f"/api/staff/requests/{response.json()['id']}/").json()["history"]
    [failed] = [event for event in history if event["kind"] == "rule_failed"]
    assert failed["data"]["failed_rule"] == "policy_ends_before_return"
    assert failed["message"] == (
        f"Polisa ubezpieczeniowa pojazdu ALZ/2025/01000015 kończy się {format_date(policy_end)}, przed datą "
        f"powrotu {format_date(today + timedelta(days=21))}: nie obejmuje całego wyjazdu."
    )
    assert "zakresem terytorialnym" not in failed["message"]
