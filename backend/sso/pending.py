"""A verified bank hand-off between the bank's POST and the browser's own next request.

The bank's POST is cross-site: the browser sends no SameSite=Lax session cookie with it, so that request
cannot tell whether the browser is logged in already, and logging in there would replace a session of
another user (even a member of staff) without a word. The hand-off is therefore kept server-side, in a
session record of its own (never the browser's session, whose cookie the POST would overwrite), for at most
MAX_LIFETIME_SECONDS and used once; the browser only holds its random key in an HttpOnly cookie limited to
/sso/bank/. The redirected GET that follows carries the browser's session: the view logs in at once when
nobody or the same user is logged in, and asks first when another user is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from backend.sso.services import MAX_LIFETIME_SECONDS, SsoHandoff

PENDING_COOKIE = "portal_bank_handoff"
_DATA_KEY = "bank_handoff"


@dataclass(frozen=True)
class PendingHandoff:
    bank_customer_id: str
    contract_id: int
    jti: str


def _store(key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def _cookie_path() -> str:
    return reverse("sso_bank")


def keep(response: HttpResponse, handoff: SsoHandoff) -> None:
    """Store the hand-off for MAX_LIFETIME_SECONDS and give the browser the key to it."""
    store = _store()
    store[_DATA_KEY] = asdict(
        PendingHandoff(
            bank_customer_id=handoff.bank_customer_id, contract_id=handoff.contract.pk, jti=handoff.jti
        )
    )
    store.set_expiry(MAX_LIFETIME_SECONDS)
    store.create()
    response.set_cookie(
        PENDING_COOKIE,
        store.session_key,
        max_age=MAX_LIFETIME_SECONDS,
        path=_cookie_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def peek(request: HttpRequest) -> PendingHandoff | None:
    """The browser's pending hand-off, still unused and within its lifetime; None otherwise."""
    key = request.COOKIES.get(PENDING_COOKIE, "")
    if not key:
        return None
    data = _store(key).load().get(_DATA_KEY)
    if not isinstance(data, dict):
        return None
    try:
        return PendingHandoff(**data)
    except TypeError:
        return None


def take(request: HttpRequest) -> PendingHandoff | None:
    """Use the pending hand-off up: of two requests racing for it, only one gets it."""
    pending = peek(request)
    if pending is None:
        return None
    store = _store(request.COOKIES[PENDING_COOKIE])
    deleted, _by_model = store.model.objects.filter(session_key=store.session_key).delete()
    return pending if deleted else None


def forget(response: HttpResponse) -> None:
    response.delete_cookie(PENDING_COOKIE, path=_cookie_path(), samesite="Lax")
