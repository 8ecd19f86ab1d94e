"""The accountant's monthly ZIP is prepared by the worker, not inside the download request: the page and
the API start a job and answer at once, follow its progress (n of N invoices), then download the file
quickly; the same month asked again is the same job, a user runs few at a time, a failure is shown,
another user's or client's job is 404, and beat deletes finished ones after 24 hours."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from backend.invoices import accounting_exports
from backend.invoices.accounting_exports import build_accounting_export, tend_accounting_exports
from backend.invoices.models import AccountingExport
from tests.client_correctness.helpers import visible_text
from tests.factories import InvoiceFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import browsing_as, logged_in

pytestmark = pytest.mark.django_db
START = "/api/invoices/accounting-zip/"


def this_month():
    return timezone.localdate().replace(day=1)


def month_before(month, n=1):
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def invoices(acme):
    month = this_month()
    return [InvoiceFactory(client=acme, number=f"FV/V/{n}", issue_date=month) for n in range(3)]


@pytest.fixture
def queued(settings):
    """Celery not eager (as in production): the request only queues; the test runs the task itself."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent: list[int] = []
    return sent


@pytest.fixture
def no_broker(monkeypatch, queued):
    monkeypatch.setattr(accounting_exports.build_accounting_export, "delay", queued.append)
    return queued


def test_the_api_answers_202_with_the_job_and_builds_nothing_in_the_request(
    api_as, client_user, invoices, no_broker, monkeypatch, django_capture_on_commit_callbacks
):
    rendered = []
    monkeypatch.setattr(accounting_exports, "build_accounting_zip", lambda *a, **k: rendered.append(1))
    api = api_as(client_user)

    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(START, {"month": f"{this_month():%Y-%m}"})

    assert started.status_code == 202 and rendered == []
    job = started.json()
    assert job["status"] == "pending" and (job["done"], job["total"]) == (0, 3)
    assert started["Location"] == job["url"] and job["file_url"] is None and job["error"] is None
    assert no_broker == [job["id"]]  # queued after commit
    # asked again (a double click, another tab): the same job, nothing queued twice
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(START, {"month": f"{this_month():%Y-%m}"})
    assert again.status_code == 202 and again.json()["id"] == job["id"] and no_broker == [job["id"]]
    assert api.get(job["url"]).json()["status"] == "pending"
    assert api.get(f"{job['url']}file/").status_code == 404


def test_the_worker_builds_the_same_zip_with_progress_and_the_api_downloads_it(
    api_as, client_user, invoices, no_broker
):
    api = api_as(client_user)
    job = api.post(START, {"month": f"{this_month():%Y-%m}"}).json()
    seen: list[int] = []
    real = accounting_exports._this_build

    def spy(export):
        seen.append(AccountingExport.objects.get(pk=export.pk).status)
        return real(export)

    accounting_exports._this_build = spy
    try:
        assert build_accounting_export(job["id"]) == "ready"
    finally:
        accounting_exports._this_build = real

    assert "running" in seen
    ready = api.get(job["url"]).json()
    assert ready["status"] == "ready" and ready["done"] == ready["total"] == 3
    response = api.get(ready["file_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 7 and {f"faktura_FV_V_{n}.pdf" for n in range(3)} <= set(names)
    assert build_accounting_export(job["id"]) == "skipped"  # a redelivered task builds nothing again


def test_a_failed_build_is_shown_in_the_error_shape_and_to_operators(
    api_as, client_user, invoices, no_broker, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(accounting_exports, "build_accounting_zip", broken)
    api = api_as(client_user)
    job = api.post(START, {"month": f"{this_month():%Y-%m}"}).json()

    assert build_accounting_export(job["id"]) == "failed"

    failed = api.get(job["url"]).json()
    assert failed["status"] == "failed" and failed["file_url"] is None
    assert failed["error"] == {
        "code": "export_failed",
        "message": "Nie udało się przygotować pliku. Spróbuj ponownie; jeśli znów się nie uda, "
        "skontaktuj się z obsługą klienta.",
    }
    assert AccountingExport.objects.get(pk=job["id"]).error == "RuntimeError: font missing"  # operators


def test_another_users_or_clients_job_is_404(api_as, client_user, other_client_user, acme, invoices):
    job = api_as(client_user).post(START, {"month": f"{this_month():%Y-%m}"}).json()
    colleague = MembershipFactory(user=UserFactory(), client=acme).user

    for stranger in (other_client_user, colleague):
        api = api_as(stranger)
        assert api.get(job["url"]).json()["code"] == "not_found"
        assert api.get(f"{job['url']}file/").status_code == 404
    assert logged_in_get(other_client_user, reverse("accounting-export-file", args=[job["id"]])) == 404


def logged_in_get(user, url) -> int:
    return browsing_as(user).get(url).status_code


def test_a_user_prepares_at_most_two_at_once(api_as, client_user, acme, no_broker):
    months = [month_before(this_month(), n) for n in range(3)]
    for month in months:
        InvoiceFactory(client=acme, issue_date=month)
    api = api_as(client_user)

    first, second, third = (api.post(START, {"month": f"{m:%Y-%m}"}) for m in months)

    assert first.status_code == second.status_code == 202
    assert third.status_code == 429 and third.json()["code"] == "exports_in_progress"
    build_accounting_export(first.json()["id"])
    assert api.post(START, {"month": f"{months[2]:%Y-%m}"}).status_code == 202


def test_an_empty_month_is_still_refused(api_as, client_user, acme):
    response = api_as(client_user).post(START, {"month": "2020-01"})

    assert response.status_code == 400 and response.json()["fields"]["month"]
    assert not AccountingExport.objects.exists()


def test_the_page_shows_progress_then_the_link(client, client_user, invoices, no_broker):
    logged_in(client, client_user)

    started = client.post(reverse("accounting-zip"), {"month": f"{this_month():%Y-%m}"})

    assert started.status_code == 302 and started["Location"] == reverse("invoices") + "#accounting-zip"
    export = AccountingExport.objects.get()
    AccountingExport.objects.filter(pk=export.pk).update(status="running", done=1)
    page = client.get(reverse("invoices")).content.decode()
    assert re.search(r"Przygotowujemy plik…\s*\(\s*1\s+z\s+3\s*\)", visible_text(page))
    assert "accounting_exports.js" in page
    file_url = reverse("accounting-export-file", args=[export.pk])
    assert client.get(file_url).status_code == 404  # not ready yet

    AccountingExport.objects.filter(pk=export.pk).update(status="pending", done=0)
    build_accounting_export(export.pk)

    page = client.get(reverse("invoices")).content.decode()
    assert f'href="{file_url}"' in page and "Przygotowujemy plik" not in visible_text(page)
    download = client.get(file_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_a_membership_narrowed_since_cannot_download_the_old_file(api_as, acme, acme_contract):
    InvoiceFactory(client=acme, contract=acme_contract, issue_date=this_month())
    membership = MembershipFactory(user=UserFactory(), client=acme, role="accountant")
    api = api_as(membership.user)
    job = api.post(START, {"month": f"{this_month():%Y-%m}"}).json()  # eager Celery: built at once
    assert api.get(job["url"]).json()["status"] == "ready"
    assert api.get(f"{job['url']}file/").status_code == 200

    membership.all_contracts = False  # the administrator takes the contract away
    membership.save()

    assert api.get(f"{job['url']}file/").status_code == 404


def test_beat_deletes_finished_exports_and_files_after_a_day_and_fails_stalled_ones(
    api_as, client_user, invoices, acme
):
    job = api_as(client_user).post(START, {"month": f"{this_month():%Y-%m}"}).json()
    export = AccountingExport.objects.get(pk=job["id"])
    assert default_storage.exists(export.file)
    stalled = AccountingExport.objects.create(
        user=client_user,
        client=acme,
        month=month_before(this_month()),
        lang="pl",
        status="running",
        total=5,
        updated_at=timezone.now() - timedelta(minutes=11),
    )

    AccountingExport.objects.filter(pk=export.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    result = tend_accounting_exports()

    assert result["deleted"] == 1 and result["stalled"] == 1
    assert not AccountingExport.objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(export.file)
    stalled.refresh_from_db()
    assert stalled.status == "failed"
