"""A database outage answers 503 "try again" (JSON with Retry-After for the API, a page for people), the
liveness probe stays 200 and the readiness probe names the database.

The outage is simulated by making every database cursor raise OperationalError, as a locked SQLite file or
a refused PostgreSQL connection does. The request then fails where it first touches the database: reading
the session in a middleware. Patching one selector instead makes it fail inside the view.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from rest_framework.test import APIClient

from backend.core.exceptions import is_database_outage
from tests.factories import InvoiceFactory
from tests.logged_in_clients import answering_errors_as

OUTAGES = ["database is locked", "connection refused"]
FRIENDLY = "Portal chwilowo niedostępny, spróbuj ponownie za chwilę"


@contextmanager
def database_down(message: str):
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError(message)):
        yield


def _assert_outage_json(response) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "service_unavailable"
    assert body["message"].startswith("Portal chwilowo niedostępny")
    assert body["fields"] == {}


def _assert_outage_page(response) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) > 0
    assert FRIENDLY in response.content.decode()


@pytest.mark.parametrize("message", OUTAGES)
def test_api_answers_503_json_when_the_database_is_down(client_user, acme, message):
    api = answering_errors_as(APIClient, client_user)

    with database_down(message):
        response = api.get("/api/invoices/")

    _assert_outage_json(response)


@pytest.mark.parametrize("message", OUTAGES)
def test_api_view_that_hits_the_outage_answers_503_json(client_user, acme, message):
    # given: the session and the user are read, then the view's own query fails
    api = answering_errors_as(APIClient, client_user)

    with mock.patch("backend.invoices.apis.list_invoices_for_client", side_effect=OperationalError(message)):
        response = api.get("/api/invoices/")

    _assert_outage_json(response)


@pytest.mark.parametrize("message", OUTAGES)
def test_page_answers_the_friendly_503_page_when_the_database_is_down(client_user, acme, message):
    browser = answering_errors_as(Client, client_user)

    with database_down(message):
        response = browser.get("/invoices/")

    _assert_outage_page(response)


@pytest.mark.parametrize("message", OUTAGES)
def test_page_view_that_hits_the_outage_answers_the_friendly_page(client_user, acme, message):
    browser = answering_errors_as(Client, client_user)

    with mock.patch(
        "portal_ui.finance_views.list_invoices_for_client", side_effect=OperationalError(message)
    ):
        response = browser.get("/invoices/")

    _assert_outage_page(response)


def test_outage_page_speaks_english_when_chosen(client_user, acme):
    browser = answering_errors_as(Client, client_user)
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    with mock.patch(
        "portal_ui.finance_views.list_invoices_for_client", side_effect=OperationalError("database is locked")
    ):
        response = browser.get("/invoices/")

    assert response.status_code == 503
    assert "The portal is temporarily unavailable" in response.content.decode()


def test_a_bug_is_still_a_500_not_an_outage(client_user, acme):
    # A wrong query is not "try again later": it stays a 500, now a page that needs no database.
    browser = answering_errors_as(Client, client_user)
    api = answering_errors_as(APIClient, client_user)
    bug = ProgrammingError("no such column: nope")

    with (
        mock.patch("portal_ui.finance_views.list_invoices_for_client", side_effect=bug),
        mock.patch("backend.invoices.apis.list_invoices_for_client", side_effect=bug),
    ):
        page = browser.get("/invoices/")
        api_response = api.get("/api/invoices/")

    assert page.status_code == 500
    assert "Retry-After" not in page
    assert 'data-testid="server-error"' in page.content.decode()
    assert api_response.status_code == 500
    assert api_response.json()["code"] == "server_error"


@pytest.mark.parametrize("message", OUTAGES)
def test_healthz_stays_200_without_the_database(db, client_user, message):
    anonymous = Client(raise_request_exception=False)
    logged_in = answering_errors_as(
        Client, client_user
    )  # a session cookie must not make the probe read the database

    with database_down(message):
        responses = [anonymous.get("/healthz"), logged_in.get("/healthz")]

    for response in responses:
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("message", OUTAGES)
def test_readyz_is_503_and_names_the_database(db, client_user, message):
    logged_in = answering_errors_as(Client, client_user)

    with database_down(message):
        response = logged_in.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "error"
    assert "database" in body["checks"]["database"]["message"]
    assert body["checks"]["channel_layer"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"


def test_readyz_is_200_when_everything_answers(db):
    response = Client().get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "channel_layer": "ok",
        "broker": "ok",
        "worker": "ok",  # eager tasks in the test suite: no worker to wait for
        "rate_limits": "ok",
        "file_storage": "ok",
    }


def test_readyz_names_an_unwritable_broker_folder(db, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "error"
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_the_service_recovers_when_the_database_is_back(client_user, acme):
    api = answering_errors_as(APIClient, client_user)
    InvoiceFactory(client=acme)

    with database_down("connection refused"):
        assert api.get("/api/invoices/").status_code == 503
    response = api.get("/api/invoices/")

    assert response.status_code == 200
    assert response.json()["count"] == 1


# --- telling an outage from a bug ------------------------------------------------------------------


def _wrapped(driver_error: Exception, django_class=OperationalError) -> Exception:
    error = django_class(str(driver_error))
    error.__cause__ = driver_error
    return error


def test_a_locked_sqlite_file_is_an_outage(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as locked:
            other.execute("INSERT INTO t VALUES (1)")
    finally:
        other.close()
        holder.close()

    assert is_database_outage(_wrapped(locked.value))


def test_a_missing_sqlite_table_is_not_an_outage():
    connection = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as missing:
        connection.execute("SELECT * FROM no_such_table")
    connection.close()

    assert not is_database_outage(_wrapped(missing.value))


def test_postgresql_errors_are_told_apart_by_sqlstate():
    class PsycopgLike(Exception):
        def __init__(self, sqlstate):
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    assert is_database_outage(_wrapped(PsycopgLike(None)))  # the server never answered
    assert is_database_outage(_wrapped(PsycopgLike("57P01")))  # terminated by the administrator
    assert is_database_outage(_wrapped(PsycopgLike("08006")))  # connection failure
    assert not is_database_outage(_wrapped(PsycopgLike("42P01"), ProgrammingError))  # undefined table
    assert not is_database_outage(ValueError("not a database error"))
