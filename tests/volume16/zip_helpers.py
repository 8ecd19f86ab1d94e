"""The accountant's ZIP as an API client fetches it now: start the job (POST, 202; Celery is eager in the tests,
so it is ready at once), then download its file."""

from __future__ import annotations

START = "/api/invoices/accounting-zip/"


def fetch_accounting_zip(api, params: dict):
    """The file's response of the month's job; a refusal's response (4xx) as it came."""
    started = api.post(START, params, format="json")
    if started.status_code != 202:
        return started
    job = started.json()
    assert job["status"] == "ready", job
    return api.get(job["file_url"])
