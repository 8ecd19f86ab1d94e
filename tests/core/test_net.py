"""The client IP of the audit log: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from backend.core.models import AuditLog
from backend.core.net import check_trusted_proxies, client_ip

NGINX = "172.18.0.5"


def request_from(peer: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def test_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXIES = [NGINX]

    assert client_ip(request_from("203.0.113.9", "10.0.0.1")) == "203.0.113.9"


def test_nobody_is_trusted_by_default(settings):
    settings.PORTAL_TRUSTED_PROXIES = []

    assert client_ip(request_from(NGINX, "198.51.100.7")) == NGINX


def test_trusted_proxy_chain_gives_the_real_client(settings):
    # given: TLS terminator 10.0.0.2 → nginx → portal; the client forged an address of its own
    settings.PORTAL_TRUSTED_PROXIES = [NGINX, "10.0.0.2"]

    # when
    ip = client_ip(request_from(NGINX, "1.1.1.1, 198.51.100.7, 10.0.0.2"))

    # then: the rightmost address no trusted proxy owns; the forged one left of it is never reached
    assert ip == "198.51.100.7"


def test_trusted_networks_are_given_as_cidr(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["172.16.0.0/12", "2001:db8::/32"]

    assert client_ip(request_from("172.18.0.5", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from("2001:db8::1", "2001:db8:1::9, 198.51.100.8")) == "198.51.100.8"
    assert client_ip(request_from("172.32.0.1", "198.51.100.7")) == "172.32.0.1"  # outside the /12


def test_ipv4_mapped_peer_counts_as_its_ipv4_address(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["172.16.0.0/12"]

    assert client_ip(request_from("::ffff:172.18.0.5", "198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("not-an-ip", NGINX),  # nothing usable: the proxy itself
        ("", NGINX),
        ("198.51.100.7, garbage", "198.51.100.7"),  # malformed entries are skipped
        ("198.51.100.7:443", NGINX),  # a port is not a bare address
        (" , ,", NGINX),
    ],
)
def test_malformed_forwarded_for_is_ignored(settings, forwarded_for, expected):
    settings.PORTAL_TRUSTED_PROXIES = [NGINX]

    assert client_ip(request_from(NGINX, forwarded_for)) == expected


def test_malformed_remote_addr_gives_no_address(settings):
    assert client_ip(request_from("unix-socket")) is None
    assert client_ip(None) is None


def test_malformed_setting_is_reported_by_the_system_check(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8", "nginx"]

    errors = check_trusted_proxies()

    assert [error.id for error in errors] == ["core.E001"]
    assert "nginx" in errors[0].msg


def test_failed_login_behind_the_proxy_records_the_real_client(client, client_user, settings):
    # given
    settings.PORTAL_TRUSTED_PROXIES = [NGINX]

    # when
    client.post(
        reverse("login"),
        {"username": client_user.email, "password": "wrong-password"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
    )

    # then
    failed = AuditLog.objects.get(action="login_failed")
    assert failed.ip_address == "198.51.100.7"


def test_deployment_leaves_forwarded_for_to_the_portal():
    # uvicorn with --forwarded-allow-ips "*" would hand the portal the client's own forged address
    # as REMOTE_ADDR; nginx must append the peer it saw for client_ip to walk the chain.
    root = Path(__file__).resolve().parents[2]
    server_command = runpy.run_path(str(root / "scripts" / "serve_web.py"))["server_command"]
    command = server_command(host="0.0.0.0", port=8000, log_level="info", access_log=True, processes=2)
    assert "--no-proxy-headers" in command
    assert "--forwarded-allow-ips" not in command
    for deployment in ("compose.yaml", "Dockerfile"):
        text = (root / deployment).read_text()
        assert "scripts/serve_web.py" in text  # the one way the web server starts
        assert '"uvicorn"' not in text and "--forwarded-allow-ips" not in text
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in (root / "deploy" / "nginx.conf").read_text()
    assert "PORTAL_TRUSTED_PROXIES" in (root / "compose.yaml").read_text()
