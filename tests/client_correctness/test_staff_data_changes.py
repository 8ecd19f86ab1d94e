"""Staff see each changed client field as old → new, also after the change has been applied."""

from __future__ import annotations

import re

import pytest

from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import submission, visible_text
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_change(api_as, client_user, acme):
    acme.email = "stary.adres@acme.pl"
    acme.phone = "+48 22 111 22 33"
    acme.save()
    body = submission("client_data_change", data={"email": "nowy.adres@acme.pl", "phone": "+48 22 765 43 21"})
    created = api_as(client_user).post("/api/requests/", body, format="json")
    assert created.status_code == 201, created.json()
    return created.json()["id"]


def change_rows(body: str) -> dict[str, tuple[str, str]]:
    table = re.search(r'<table[^>]*id="data-changes".*?</table>', body, flags=re.S)
    assert table, "no old → new table"
    rows = {}
    for field, old, new in re.findall(
        r'<tr data-field="([^"]+)">.*?class="change-old">(.*?)</td>.*?class="change-new">(.*?)</td>',
        table.group(0),
        flags=re.S,
    ):
        rows[field] = (visible_text(old).strip(), visible_text(new).strip())
    return rows


def test_the_staff_page_shows_old_and_new(client, bok_staff, data_change):
    body = logged_in(client, bok_staff).get(f"/staff/tasks/{data_change}/").content.decode()
    rows = change_rows(body)
    assert rows == {
        "email": ("stary.adres@acme.pl", "→ nowy.adres@acme.pl"),
        "phone": ("+48 22 111 22 33", "→ +48 22 765 43 21"),
    }
    # Unchanged fields are not listed as changes.
    assert "registered_city" not in rows


def test_old_values_stay_after_approval(client, api_as, bok_staff, acme, data_change):
    approved = api_as(bok_staff).post(f"/api/staff/requests/{data_change}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    acme.refresh_from_db()
    assert acme.email == "nowy.adres@acme.pl"
    body = logged_in(client, bok_staff).get(f"/staff/tasks/{data_change}/").content.decode()
    assert change_rows(body)["email"] == ("stary.adres@acme.pl", "→ nowy.adres@acme.pl")


def test_the_old_values_are_stored_at_submit(acme, data_change):
    stored = PortalRequest.objects.get(pk=data_change).form_data["previous_values"]
    assert stored == {"email": "stary.adres@acme.pl", "phone": "+48 22 111 22 33"}


def test_the_clients_page_does_not_list_the_stored_old_values_as_a_field(client, client_user, data_change):
    text = visible_text(logged_in(client, client_user).get(f"/requests/{data_change}/").content.decode())
    assert "previous_values" not in text
