"""The live socket opens only from the portal's own pages: the handshake's Origin must be the page's own
scheme, host and port (Django's CSRF rule), not merely a host named in ALLOWED_HOSTS.

SameSite=Lax cookies go with a handshake from any origin of the same site, so a page on another port or the
plain-http scheme of the portal's host (another service, a test instance) could otherwise open a socket
with the user's session and read the ids of everything that happens to the user's company.
"""

from __future__ import annotations

import pytest

from tests.notifications.sockets import close, communicator_for, headers_for, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_relay")]


def _handshake(user, *, origin: str, host: str | None, extra: tuple = ()) -> bool:
    """Whether a socket with `user`'s session, this Origin and Host header is accepted (hello received)."""
    headers = [(name, value) for name, value in headers_for(user) if name != b"origin"]
    headers.append((b"origin", origin.encode()))
    if host is not None:
        headers.append((b"host", host.encode()))
    headers.extend(extra)

    async def scenario():
        communicator = communicator_for(headers)
        connected, _ = await communicator.connect()
        if connected:
            hello = await communicator.receive_json_from(timeout=5)
            assert hello["type"] == "hello"
        await close(communicator)
        return connected

    return run(scenario)


def test_the_pages_own_origin_opens_the_socket(client_user):
    assert _handshake(client_user, origin="http://testserver", host="testserver")
    assert _handshake(client_user, origin="http://localhost:8131", host="localhost:8131")


@pytest.mark.parametrize(
    "origin",
    [
        "http://testserver:8080",  # another port of the same host: same site, so the cookie goes along
        "https://testserver",  # the other scheme
        "http://localhost:8131",  # another allowed host than the page was served from
        "http://testserver:99999",  # no port at all: refused, not an exception
    ],
)
def test_another_origin_of_an_allowed_host_is_refused(client_user, origin):
    assert not _handshake(client_user, origin=origin, host="testserver")


def test_behind_a_tls_proxy_the_https_origin_opens_and_plain_http_does_not(client_user, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = ((b"x-forwarded-proto", b"https"),)
    assert _handshake(client_user, origin="https://testserver", host="testserver", extra=forwarded)
    assert not _handshake(client_user, origin="http://testserver", host="testserver", extra=forwarded)


def test_the_portals_public_address_opens_it_whatever_host_the_proxy_names(client_user, settings):
    settings.PORTAL_BASE_URL = "https://localhost"
    assert _handshake(client_user, origin="https://localhost", host="web:8000")
    assert not _handshake(client_user, origin="https://localhost:8443", host="web:8000")


def test_a_trusted_origin_of_the_csrf_settings_opens_it(client_user, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://localhost:8443"]
    assert _handshake(client_user, origin="https://localhost:8443", host="web:8000")


def test_a_foreign_or_missing_origin_stays_refused(client_user):
    assert not _handshake(client_user, origin="http://evil.example", host="evil.example")
    assert not _handshake(client_user, origin="null", host="testserver")
