"""The API against its own OpenAPI schema (schemathesis, stateless): 0 server errors, 0 schema violations.

Every operation of the generated schema gets a fixed, small budget of generated requests (valid inputs by
the schema), sent in-process to the WSGI application with a real session cookie and CSRF token, once as a
client user and once as staff. Half of the cases name the client's real objects in the path, so the
answers are not only 404s. Each answer must not be a 5xx, must have a documented status and content
type, and must match the documented body (the error shape for 4xx/503).
`PORTAL_FUZZ_EXAMPLES` raises the budget per operation (`make fuzz`); the default keeps `make test` short.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.contrib.auth import SESSION_KEY
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client as DjangoClient
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backend.config.wsgi import application
from tests.security.world import ClientWorld, World, build_world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations left out, each with the reason (empty: every operation is fuzzed).
EXCLUDED: dict[str, str] = {}


@contextmanager
def served_in_test_transaction() -> Iterator[None]:
    """The real WSGI application, inside the test's transaction.

    A WSGI server closes "old" database connections when a request starts and ends; inside the test's
    transaction that would close the connection holding the test data. Django's test client switches this
    off around each of its own requests only (and back on after), so it is switched off here for the run.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def logged_in(user) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of a real browser session: the session cookie and a CSRF token."""
    client = DjangoClient()
    client.force_login(user)
    assert client.session[SESSION_KEY] == str(user.pk)
    csrf = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    # Schemathesis' WSGI transport asks for gzip but does not decode it; compression has its own tests
    # (tests/perf19/test_compression.py).
    return cookies, {"X-CSRFToken": csrf, "Accept-Encoding": "identity"}


def run_operation(operation, *, cookies: dict, headers: dict, mine: ClientWorld) -> None:
    """The operation's budget of generated cases; half of them name the client's real objects in the path."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing case is reported as is
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), use_real_ids=st.booleans())
    def check(case, use_real_ids: bool) -> None:
        if use_real_ids and case.path_parameters:
            case.path_parameters = {
                name: mine.object_id(operation.path, name) or value
                for name, value in case.path_parameters.items()
            }
        case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)

    check()


@pytest.mark.parametrize("role", ["client", "staff"])
def test_api_answers_as_its_schema_says(role):
    # given: a world of two clients, the schema the API serves, and a logged-in session of the role
    world: World = build_world()
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = application
    user = world.a.user if role == "client" else world.staff
    cookies, headers = logged_in(user)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40

    # when every operation gets its budget of generated requests
    with served_in_test_transaction():
        for operation in operations:
            if operation.label in EXCLUDED:
                continue
            try:
                run_operation(operation, cookies=cookies, headers=headers, mine=world.a)
            # Every operation runs and every failure is reported (schemathesis raises an exception group).
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label}: {type(error).__name__}: {error}")

    # then
    assert failures == [], "\n\n".join(failures)
