"""deploy/nginx.conf passes the browser's Host, address and scheme on every request it proxies.

nginx inherits the server's `proxy_set_header` lines into a location only when the location sets none of
its own. A location that sets one (Upgrade for the socket, Accept-Encoding for static files) and not the
others sent Host as the upstream's name ("portal_web": refused by ALLOWED_HOSTS), no X-Forwarded-Proto
(production's HTTPS redirect and secure checks see plain http) and no X-Forwarded-For (every visitor is
nginx's address to the login lock-out, the reset limits and the audit log).
"""

from __future__ import annotations

import re
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
FORWARDED = {"host", "x-real-ip", "x-forwarded-for", "x-forwarded-proto"}
HEADER = re.compile(r"^\s*proxy_set_header\s+(\S+)\s", re.MULTILINE)


def _blocks(text: str) -> tuple[str, dict[str, str]]:
    """The server block's own lines (nested blocks cut out) and each location's body, by its path."""
    server = text[text.index("server {") :]
    locations = {}
    own = server
    for match in re.finditer(r"location\s+([^{\s]+)\s*\{", server):
        end = server.index("}", match.end())  # locations here hold no nested blocks
        locations[match.group(1)] = server[match.end() : end]
        own = own.replace(server[match.start() : end + 1], "")
    return own, locations


def _headers(body: str) -> set[str]:
    return {name.lower() for name in HEADER.findall(body)}


def test_the_server_level_forwards_the_browsers_host_address_and_scheme():
    own, _locations = _blocks(CONFIG.read_text())

    assert _headers(own) >= FORWARDED


def test_no_proxied_location_drops_them():
    own, locations = _blocks(CONFIG.read_text())

    assert {"/", "/ws/", "/static/"} <= set(locations)
    for path, body in locations.items():
        if "proxy_pass" not in body:
            continue
        sent = _headers(body) or _headers(own)  # nginx: the location's own lines, else the server's
        assert sent >= FORWARDED, f"location {path} sends only {sorted(sent)}"


def test_the_socket_location_still_upgrades():
    own, locations = _blocks(CONFIG.read_text())

    sent = _headers(locations["/ws/"]) or _headers(own)
    assert {"upgrade", "connection"} <= sent
