"""POST /api/invoices/accounting-zip/ {"month": …} as an API client meets it: asking again for a month whose package
is ready answers that package (its file and URL stay), a package of other invoices is built anew, and a HEAD
or a GET starts nothing (405: a job is started only by a CSRF-checked POST, never by another site's link)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.invoices.models import AccountingExport
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

START = "/api/invoices/accounting-zip/"


@pytest.fixture
def month(acme) -> str:
    InvoiceFactory(client=acme)
    return f"{timezone.localdate():%Y-%m}"


def test_a_ready_package_asked_again_is_answered_not_rebuilt(api_as, client_user, month):
    api = api_as(client_user)
    first = api.post(START, {"month": month}).json()
    assert first["status"] == "ready"
    stored = AccountingExport.objects.get().file

    again = api.post(START, {"month": month})

    assert again.status_code == 202
    assert again.json() == first  # same job, same created_at and finished_at, same file URL
    assert AccountingExport.objects.get().file == stored
    assert api.get(first["file_url"]).status_code == 200


def test_a_package_of_other_invoices_is_built_anew(api_as, client_user, acme, month):
    api = api_as(client_user)
    first = api.post(START, {"month": month}).json()
    InvoiceFactory(client=acme)  # issued since in the same month

    again = api.post(START, {"month": month}).json()

    assert again["id"] == first["id"]
    assert (again["status"], again["total"]) == ("ready", 2)


@pytest.mark.parametrize("method", ["head", "get"])
def test_head_or_get_starts_no_package(api_as, client_user, month, method):
    response = getattr(api_as(client_user), method)(START, {"month": month})

    assert response.status_code == 405
    assert not AccountingExport.objects.exists()
