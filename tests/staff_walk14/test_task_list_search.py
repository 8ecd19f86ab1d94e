"""The task list finds a request by free text (number, subject, client name, NIP however typed), shows each
row's subject and when it was submitted, and offers the colleagues as assignees (the page and the API)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from backend.core.money import format_datetime
from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import visible_text
from tests.factories import ContractFactory
from tests.logged_in_clients import browsing_as
from tests.staff_walk14.helpers import submit_other

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(api_as, client_user, other_client_user, acme, acme_contract, other_company) -> dict[str, int]:
    other_contract = ContractFactory(client=other_company)
    return {
        "address": submit_other(api_as(client_user), acme_contract, "Zmiana adresu korespondencyjnego"),
        "insurance": submit_other(api_as(client_user), acme_contract, "Kopia polisy OC"),
        "other": submit_other(api_as(other_client_user), other_contract, "Faktura korygująca"),
    }


def listed(page, **query) -> set[str]:
    response = page.get(reverse("staff-task-list"), query)
    assert response.status_code == 200
    return set(re.findall(r"WN/\d{4}/\d{6}", visible_text(response.content.decode())))


def numbers(*ids: int) -> set[str]:
    return set(PortalRequest.objects.filter(pk__in=ids).values_list("number", flat=True))


def test_free_text_finds_number_subject_client_and_nip(bok_staff, requests, acme):
    page = browsing_as(bok_staff)
    address = PortalRequest.objects.get(pk=requests["address"])

    assert listed(page, q="adresu") == numbers(requests["address"])  # the subject, any case
    assert listed(page, q=address.number) == {address.number}
    assert listed(page, q="inna firma") == numbers(requests["other"])  # the client's name
    nip = acme.nip
    typed = f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"  # as printed on papers
    assert listed(page, q=typed) == numbers(requests["address"], requests["insurance"])


def test_the_api_searches_the_same_way(api_as, bok_staff, requests):
    response = api_as(bok_staff).get("/api/staff/tasks/", {"q": "polisy"})
    assert response.status_code == 200, response.json()
    assert [row["id"] for row in response.json()["results"]] == [requests["insurance"]]


def test_rows_show_their_subject_and_submission_time(bok_staff, requests):
    response = browsing_as(bok_staff).get(reverse("staff-task-list"))
    text = re.sub(r"\s+", " ", visible_text(response.content.decode()))
    assert "Rodzaj i temat" in text and "Data złożenia" in text
    assert "Inna sprawa Kopia polisy OC" in text
    submitted = PortalRequest.objects.get(pk=requests["insurance"]).created_at
    assert f"Kopia polisy OC {format_datetime(submitted)}" in text


def test_the_assignee_filter_offers_the_colleagues(api_as, bok_staff, second_staff, requests):
    api_as(second_staff).post(f"/api/staff/requests/{requests['address']}/claim/")
    page = browsing_as(bok_staff)

    body = page.get(reverse("staff-task-list")).content.decode()
    select = re.search(r'<select id="flt-assignee".*?</select>', body, re.S).group(0)
    assert f'<option value="{second_staff.pk}">Piotr Zając</option>' in select
    assert listed(page, assignee=second_staff.pk) == numbers(requests["address"])
