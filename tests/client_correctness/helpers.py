"""Shared helpers of the correctness tests: logged-in page clients and the visible text of a page."""

from __future__ import annotations

import html
import re

from tests.requests_app.helpers import all_declarations, contact, submission  # noqa: F401

NBSP = "\u00a0"


def visible_text(body: str) -> str:
    """The page's text as a user reads it: no tags, attributes, scripts or JSON islands."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body)


def logged_in(client, user):
    client.force_login(user)
    return client
