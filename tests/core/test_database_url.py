"""DATABASE_URL → Django's DATABASES entry: the pool, and with it server-side binding and prepared statements."""

from __future__ import annotations

import pytest

from backend.core.db_circuit import CircuitConnection
from backend.core.env import database_from_url


def test_pooled_connections_bind_on_the_server_and_prepare_repeated_statements():
    entry = database_from_url("postgres://portal:secret@db.example:5433/portal", pool_max_size=16)

    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert (entry["NAME"], entry["USER"], entry["PASSWORD"]) == ("portal", "portal", "secret")
    assert (entry["HOST"], entry["PORT"]) == ("db.example", "5433")
    assert entry["OPTIONS"] == {
        "pool": {
            "min_size": 1,
            "max_size": 16,
            "timeout": 10,
            "reconnect_timeout": 5.0,
            "connection_class": CircuitConnection,
        },
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


def test_without_the_pool_nothing_is_prepared_on_a_connection_an_external_pooler_may_swap():
    entry = database_from_url("postgres://portal:secret@db.example/portal?pool=off&sslmode=require")

    assert entry["OPTIONS"] == {"sslmode": "require", "server_side_binding": False}
    assert entry["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("query", "binding", "threshold"),
    [
        ("server_side_binding=off", False, 5),
        ("prepare_threshold=off", True, None),
        ("prepare_threshold=0", True, 0),  # psycopg's "prepare every statement at once"
        ("pool=off&server_side_binding=on&prepare_threshold=3", True, 3),
    ],
)
def test_the_url_sets_binding_and_preparing_apart(query, binding, threshold):
    options = database_from_url(f"postgres://portal@localhost/portal?{query}")["OPTIONS"]

    assert options["server_side_binding"] is binding
    assert options.get("prepare_threshold") == threshold


def test_a_url_of_another_database_is_refused():
    with pytest.raises(ValueError, match="mysql"):
        database_from_url("mysql://portal@localhost/portal")


@pytest.mark.django_db
def test_on_postgresql_a_statement_repeated_on_a_connection_is_prepared_by_the_server():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the PostgreSQL + Redis phase of make test)")
    statement = "SELECT %s::int + 40 AS portal_prepared_probe"
    with connection.cursor() as cursor:
        for value in range(6):
            cursor.execute(statement, [value])
            assert cursor.fetchone() == (value + 40,)
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%portal_prepared_probe%"],
        )
        prepared = [row[0] for row in cursor.fetchall()]

    assert connection.features.uses_server_side_binding
    assert prepared == ["SELECT $1::int + 40 AS portal_prepared_probe"]
