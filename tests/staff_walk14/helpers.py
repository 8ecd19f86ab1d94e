"""Requests as a staff day meets them: submitted through the client's API, opened on the staff pages."""

from __future__ import annotations

import re

from django.test import Client as PageClient
from django.urls import reverse

from tests.client_correctness.helpers import visible_text
from tests.requests_app.helpers import submission


def submit_other(api, contract, subject: str = "Zmiana adresu korespondencyjnego") -> int:
    """An "Inna sprawa" request on the contract; its id."""
    body = submission("other_request", contract=contract, data={"subject": subject, "message": "Proszę o…"})
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def task_page_text(page: PageClient, request_id: int) -> str:
    response = page.get(reverse("staff-task-page", args=[request_id]))
    assert response.status_code == 200, response.status_code
    return re.sub(r"[ \t\r\n]+", " ", visible_text(response.content.decode()))
