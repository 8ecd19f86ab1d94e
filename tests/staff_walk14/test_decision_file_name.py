"""The decision document downloads under a name in the downloader's language, like every file the portal
generates (documents.downloads.download_filename): aneks_WN_… in Polish, annex_WN_… in English."""

from __future__ import annotations

import pytest

from backend.requests_app.models import PortalRequest
from tests.client_walk13.test_download_names import filename
from tests.effects_walk.helpers import approve, submit
from tests.staff_walk14.helpers import submit_other

pytestmark = pytest.mark.django_db


def test_an_annex_is_named_in_the_downloaders_language(api_as, client_user, bok_staff, acme_contract):
    submitted = submit(
        api_as(client_user), "payment_date_change", acme_contract, {"payment_day": 20, "reason": "cash_flow"}
    )
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]
    assert approve(api_as(bok_staff), request_id).status_code == 200
    number = PortalRequest.objects.get(pk=request_id).number.replace("/", "_")
    url = f"/api/requests/{request_id}/decision-document/"

    assert filename(api_as(client_user).get(url)) == f"aneks_{number}.docx"
    assert filename(api_as(bok_staff).get(url)) == f"aneks_{number}.docx"
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    assert filename(api_as(client_user).get(url)) == f"annex_{number}.docx"


def test_a_decision_letter_is_named_decyzja(api_as, client_user, bok_staff, acme_contract):
    request_id = submit_other(api_as(client_user), acme_contract)
    rejected = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/reject/", {"reason": "Brak podstaw."}, format="json"
    )
    assert rejected.status_code == 200, rejected.json()
    number = PortalRequest.objects.get(pk=request_id).number.replace("/", "_")

    assert filename(api_as(client_user).get(f"/api/requests/{request_id}/decision-document/")) == (
        f"decyzja_{number}.docx"
    )
