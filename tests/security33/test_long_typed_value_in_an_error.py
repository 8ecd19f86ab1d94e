"""An error message that echoes a long typed value ('"xxx…" is not a valid choice') is shown at once: the
pattern that links a named request's number in an error was tried from each character of the value,
quadratic (a 70 000-character role on the users page held a web worker for minutes)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from portal_ui.error_summary import has_link, linked_message
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG = "x" * 70_000


def test_the_error_helpers_read_a_long_value_in_linear_time():
    message = f'"{LONG}" is not a valid choice.'

    started = time.monotonic()
    linked, linked_flag = linked_message(message), has_link(message)

    assert time.monotonic() - started < 1
    assert not linked_flag and LONG in linked


def test_a_named_request_is_still_linked_to_its_page():
    message = "Open already: WN/2026/000003 (https://portal.example/requests/3/), (WN/2026/4 (http://h/requests/4/))"

    linked = linked_message(message)

    assert has_link(message)
    assert '<a href="/requests/3/">WN/2026/000003</a>' in linked
    assert '<a href="/requests/4/">WN/2026/4</a>' in linked


def test_the_users_page_answers_a_long_role_at_once(client, acme):
    admin = UserFactory(email="szef@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    client.force_login(admin)
    fields = ["email", "first_name", "last_name", "role"]

    started = time.monotonic()
    response = client.post(reverse("client-users-page"), dict.fromkeys(fields, LONG))

    assert response.status_code == 400
    assert time.monotonic() - started < 5
