"""The active client: one middleware resolves it per request, one setter changes it, one resolver checks it."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from backend.clients.active import (
    ACTIVE_CLIENT_SESSION_KEY,
    ActiveClientMiddleware,
    active_client_changed,
    resolve_membership,
    set_active_client,
)
from backend.clients.models import ClientMembership
from notifications.consumers import resolve_active_client_id
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def through_middleware(user, session=None):
    """Run ActiveClientMiddleware on a request of `user`; return the request as the view would see it."""
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else SessionStore()
    seen = {}

    def view(req):
        seen["request"] = req
        return HttpResponse()

    ActiveClientMiddleware(view)(request)
    return seen["request"]


@pytest.fixture
def two_company_user(client_user, acme, other_company):
    MembershipFactory(user=client_user, client=other_company)
    return client_user


def test_the_middleware_sets_the_client_and_the_membership_and_remembers_the_choice(client_user, acme):
    request = through_middleware(client_user)
    assert request.active_client == acme
    assert request.active_membership == ClientMembership.objects.get(user=client_user, client=acme)
    assert request.session[ACTIVE_CLIENT_SESSION_KEY] == acme.pk


def test_staff_and_anonymous_requests_have_no_active_client(bok_staff):
    from django.contrib.auth.models import AnonymousUser

    for user in (bok_staff, AnonymousUser()):
        request = through_middleware(user)
        assert request.active_client is None
        assert request.active_membership is None
        assert ACTIVE_CLIENT_SESSION_KEY not in request.session


def test_the_default_membership_wins_when_the_session_has_no_choice(two_company_user, acme, other_company):
    memberships = ClientMembership.objects.filter(user=two_company_user)
    memberships.update(is_default=False)
    assert through_middleware(two_company_user).active_client == acme  # no default: the first by name
    memberships.filter(client=other_company).update(is_default=True)
    assert through_middleware(two_company_user).active_client == other_company


def test_a_revoked_membership_takes_effect_on_the_next_request(two_company_user, acme, other_company):
    session = SessionStore()
    session[ACTIVE_CLIENT_SESSION_KEY] = other_company.pk
    assert through_middleware(two_company_user, session).active_client == other_company
    # when the membership the session chose is revoked
    ClientMembership.objects.filter(user=two_company_user, client=other_company).delete()
    # then the next request acts for the client the user still belongs to
    request = through_middleware(two_company_user, session)
    assert request.active_client == acme
    assert session[ACTIVE_CLIENT_SESSION_KEY] == acme.pk


def test_set_active_client_switches_and_announces_it(two_company_user, other_company):
    request = through_middleware(two_company_user)
    announced = []

    def receiver(sender, request, client, **kwargs):
        announced.append(client)

    active_client_changed.connect(receiver, weak=False)
    try:
        assert set_active_client(request, client_id=other_company.pk) == other_company
    finally:
        active_client_changed.disconnect(receiver)
    assert request.active_client == other_company
    assert request.active_membership.client_id == other_company.pk
    assert request.session[ACTIVE_CLIENT_SESSION_KEY] == other_company.pk
    assert announced == [other_company]


def test_set_active_client_refuses_a_client_the_user_is_no_member_of(client_user, acme, other_company):
    request = through_middleware(client_user)
    assert set_active_client(request, client_id=other_company.pk) is None
    assert request.active_client == acme
    assert request.session[ACTIVE_CLIENT_SESSION_KEY] == acme.pk


def test_the_websocket_resolver_rechecks_membership_like_the_middleware(
    two_company_user, acme, other_company
):
    session = SessionStore()
    session[ACTIVE_CLIENT_SESSION_KEY] = other_company.pk
    assert resolve_active_client_id(two_company_user, session) == other_company.pk
    ClientMembership.objects.filter(user=two_company_user, client=other_company).delete()
    assert resolve_active_client_id(two_company_user, session) == acme.pk
    assert resolve_membership(user=two_company_user, session=session).client == acme
