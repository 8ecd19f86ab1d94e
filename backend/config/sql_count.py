"""Bench-only middleware: an `X-SQL-Count` header with the SQL statements a request ran.

Installed only when PORTAL_SQL_COUNT_HEADER=1 (bench/bench_http.py starts its server so); never in a
normal run. Counts every statement on the default connection from the first middleware to the response,
on-commit work included.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

HEADER = "X-SQL-Count"


class SqlCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
