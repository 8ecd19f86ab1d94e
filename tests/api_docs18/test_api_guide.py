"""The guide at the top of /api/docs/: every error code the API can answer, with its status; the general
statuses; paging, bodies, language and naming as the server has them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from backend.core.api_guide import ERROR_CODES
from backend.core.exceptions import PortalError

ROOT = Path(settings.BASE_DIR)
# Error bodies written as literals (`"code": "…"`) in the server's code; the WebSocket's frames are not HTTP.
SOURCES = ("backend", "workflows", "notifications", "portal_ui")
NOT_HTTP = {"notifications/consumers.py"}
# DRF's own errors the API answers through the portal's handler (default codes of its exceptions).
DRF_CODES = {
    "parse_error",
    "not_authenticated",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "unsupported_media_type",
    "throttled",
}


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _literal_codes() -> set[str]:
    codes = set()
    for top in SOURCES:
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts or str(path.relative_to(ROOT)) in NOT_HTTP:
                continue
            text = path.read_text(encoding="utf-8")
            codes |= set(re.findall(r'"code": "([a-z_]+)"', text))
            codes |= set(re.findall(r'default_code = "([a-z_]+)"', text))
    return codes


def raised_codes() -> set[str]:
    portal_errors = {cls.code for cls in _subclasses(PortalError)} - {"portal_error"}
    return portal_errors | _literal_codes() | DRF_CODES


def test_every_code_the_api_answers_is_in_the_guide_with_its_status():
    # given: every app imported (URLconf and apps loaded by the test run)
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every API module
    description = settings.SPECTACULAR_SETTINGS["DESCRIPTION"]

    # when
    codes = raised_codes()
    missing_from_list = sorted(codes - set(ERROR_CODES))
    missing_from_text = sorted(
        code
        for code, (status, _meaning) in ERROR_CODES.items()
        if f"- `{status}` `{code}`:" not in description
    )

    # then
    assert {
        "task_not_ready",
        "invalid_transition",
        "csrf_failed",
        "session_expired",
        "version_changed",
    } <= codes
    assert missing_from_list == []
    assert missing_from_text == []


@pytest.mark.parametrize(
    "sentence",
    [
        "`405 method_not_allowed`",
        "`406 not_acceptable`",
        "`415 unsupported_media_type`",
        "`401 session_expired` when\nthe session ended (idle, absolute, logged out, ended elsewhere: the message says which)",
        "more than 200 gives 200",
        "are whole and take no `page`",
        "dotted keys (`contact.name=…`)",
        "ignores `Accept-Language`",
        "`POST /i18n/setlang/`",
        "## Conventions and known differences",
        "`data` when submitted and `form_data` in the request's detail",
    ],
)
def test_guide_states_what_the_server_does(sentence):
    assert sentence in settings.SPECTACULAR_SETTINGS["DESCRIPTION"]


def test_guide_no_longer_promises_a_400_for_a_large_page_size():
    assert (
        "`page_size` (1 to 200); anything else is `400 invalid`"
        not in settings.SPECTACULAR_SETTINGS["DESCRIPTION"]
    )
