"""The SQLite cursor converts placeholders as Django's does, remembering each statement's conversion."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from backend.core.sqlite_backend.cursor import qmark_style

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default's cursor"),
]

STATEMENTS = [
    'SELECT "id" FROM "t" WHERE "a" = %s AND "b" IN (%s, %s)',
    "SELECT 'a%%b' LIKE %s",
    "SELECT '%%s is literal', %s",
    'UPDATE "t" SET "x" = %s WHERE "id" = %s',
]


@pytest.mark.parametrize("sql", STATEMENTS)
def test_the_conversion_is_djangos(sql):
    assert qmark_style(sql) == SQLiteCursorWrapper.convert_query(None, sql)
    assert qmark_style(sql) is qmark_style(sql)  # remembered


def test_statements_run_with_positional_and_named_parameters():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'a%%b', %s, '%%s'", [7])
        positional = cursor.fetchone()
        cursor.execute("SELECT %(first)s || %(second)s", {"first": "x", "second": "y"})
        named = cursor.fetchone()
        cursor.execute("CREATE TEMP TABLE converted (value TEXT)")
        cursor.executemany("INSERT INTO converted VALUES (%s || '%%')", [("1",), ("2",)])
        cursor.execute("SELECT value FROM converted ORDER BY value")
        many = cursor.fetchall()

    assert positional == ("a%b", 7, "%s")
    assert named == ("xy",)
    assert many == [("1%",), ("2%",)]
