"""Test clients logged in as a user: Django's on the pages, DRF's on the API.

A `force_login` session counts as past the second factor (the autouse fixture in tests/conftest.py); a test
of the second factor itself logs in with tests.second_factor_helpers.force_login_unverified.
"""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient


def browsing_as(user) -> Client:
    """Django's test client on the pages, logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def browsing_with_csrf_checks_as(user) -> Client:
    """Django's test client logged in as `user` that checks CSRF as a real browser session is checked (the
    test client skips it otherwise), holding its session's csrftoken cookie from a page with a form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/messages/new/")
    return client


def logged_in(client, user):
    """`client` (a test's own client fixture, Django's or DRF's) logged in as `user`; returns it."""
    client.force_login(user)
    return client


def api_client_as(user) -> APIClient:
    """DRF's test client on the API, logged in as `user`."""
    api = APIClient()
    api.force_login(user)
    return api


def answering_errors_as(client_class, user):
    """A client of `client_class` logged in as `user` that gets the error page of an exception as production
    does, instead of the exception re-raised into the test."""
    client = client_class(raise_request_exception=False)
    client.force_login(user)
    return client
