"""The staff task page of a complaint names both of its deadlines: the internal due date of customer
service (before: a bare "Termin" beside "Ustawowy termin odpowiedzi") and the statutory one; the task list's
column says the same."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.complaint_helpers import submit_complaint

pytestmark = pytest.mark.django_db


def page_as(user, path: str, lang: str = "pl") -> str:
    user.language = lang
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def labels(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", dt).strip() for dt in re.findall(r"<dt>(.*?)</dt>", html, re.S)]


def test_the_task_page_says_which_deadline_is_the_internal_one(api_as, client_user, bok_staff):
    # given: a complaint waiting for customer service
    request_id = submit_complaint(api_as(client_user))["id"]

    # when: staff open its task page, in Polish and in English
    polish = page_as(bok_staff, f"/staff/tasks/{request_id}/")
    english = page_as(bok_staff, f"/staff/tasks/{request_id}/", "en")

    # then: the internal due date is named as such next to the statutory deadline, no bare "Termin"
    assert "Termin wewnętrzny (BOK)" in labels(polish)
    assert '<h2 id="complaint-clock-title">Ustawowy termin odpowiedzi</h2>' in polish
    assert "Termin" not in labels(polish)
    assert re.search(r'<dt>Termin wewnętrzny \(BOK\)</dt><dd id="staff-due">', polish)
    assert "Internal due date (customer service)" in labels(english)
    assert "Due" not in labels(english)


def test_the_task_list_column_says_the_same(api_as, client_user, bok_staff):
    submit_complaint(api_as(client_user))

    html = page_as(bok_staff, "/staff/tasks/")

    assert 'data-label="Termin wewnętrzny (BOK)"' in html
    headers = [re.sub(r"<[^>]+>", " ", th).split() for th in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)]
    assert ["Termin", "wewnętrzny", "(BOK)"] in [h[:3] for h in headers]
    assert ["Termin"] not in headers
