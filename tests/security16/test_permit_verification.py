"""The public permit verification page (defect 6): PL/EN, a revoked permit shown as revoked, the form the
PDF points to with the code typed any way, and a revocation reason worth reading."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient

from backend.permits.models import VehiclePermit
from tests.permits.conftest import vehicle_contract  # noqa: F401 (fixture)
from tests.permits.test_permit_api import permit, submit, trip  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_page_speaks_the_browsers_language_and_offers_pl_en(permit):  # noqa: F811
    url = f"/verify/permit/{permit.code}/"

    english = PageClient(headers={"accept-language": "en-GB,en;q=0.9"}).get(url).content.decode()
    polish = PageClient().get(url).content.decode()
    chosen = PageClient(headers={"accept-language": "de-DE"}).get(url + "?lang=en").content.decode()

    assert "The permit is valid." in english
    assert "Zgoda jest ważna." in polish
    assert "The permit is valid." in chosen
    assert 'href="?lang=en"' in polish and 'href="?lang=pl"' in english


def test_a_revoked_permit_is_shown_revoked_with_its_date(permit, bok_staff, api_as):  # noqa: F811
    revoked = api_as(bok_staff).post(
        f"/api/staff/requests/{permit.request_id}/revoke-permit/",
        {"reason": "Pojazd sprzedany przed wyjazdem."},
        format="json",
    )
    assert revoked.status_code == 200, revoked.json()

    html = PageClient().get(f"/verify/permit/{permit.code}/").content.decode()

    assert 'data-permit-state="revoked"' in html
    assert 'id="permit-revoked-on"' in html
    assert "Ważna" not in html and ">Valid<" not in html
    assert 'class="details alert error"' in html


def test_the_form_the_pdf_names_takes_the_code_typed_any_way(permit):  # noqa: F811
    page = PageClient()
    form = page.get("/verify/permit/")
    assert form.status_code == 200 and 'name="code"' in form.content.decode()

    typed = permit.code.replace("-", "").lower()
    found = page.get("/verify/permit/", {"code": f"  {typed} "}, follow=True)
    assert found.status_code == 200
    assert 'data-permit-state="valid"' in found.content.decode()

    direct = page.get(f"/verify/permit/{typed}/")
    assert direct.status_code == 200 and 'data-permit-state="valid"' in direct.content.decode()
    assert page.get("/verify/permit/", {"code": ""}).status_code == 400


@pytest.mark.parametrize("reason", ["x", "Nie chcę."])
def test_a_revocation_needs_a_reason_the_client_can_read(reason, permit, bok_staff, api_as):  # noqa: F811
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{permit.request_id}/revoke-permit/", {"reason": reason}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert VehiclePermit.objects.get(pk=permit.pk).status == VehiclePermit.Status.VALID
