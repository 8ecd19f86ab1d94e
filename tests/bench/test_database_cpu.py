"""The HTTP bench counts PostgreSQL's CPU beside the web server's and the worker's (bench/http_portal.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.http_portal import database_server_pid, process_tree, tree_cpu_ms

pytestmark = pytest.mark.django_db


def test_the_database_server_is_the_parent_of_this_connections_backend_on_postgresql():
    server = database_server_pid()

    if connection.vendor != "postgresql":
        assert server is None  # SQLite runs inside the portal's own processes
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    assert server is not None and backend in process_tree(server)

    # and the backend's work shows in the server's CPU
    before = tree_cpu_ms(server)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 3000000)")
    assert tree_cpu_ms(server) > before
