"""The way back to online banking: from the header while a session the bank's hand-off opened is signed in,
from a refused hand-off's page, and from the login page after such a session was logged out."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from backend.accounts.second_factor import VERIFIED_SESSION_KEY

# Set in the fresh session a logout leaves when the ended one came from the bank; the login page takes it.
_LOGGED_OUT_FROM_BANK = "portal_logged_out_from_bank"


def bank_return_url() -> str:
    """The bank's page a customer goes back to: configured, else the demo bank's, else none."""
    if settings.BANK_SSO_RETURN_URL:
        return settings.BANK_SSO_RETURN_URL
    return reverse("bank_simulator_loans") if settings.BANK_SIMULATOR_ENABLED else ""


def came_from_bank(request: HttpRequest) -> bool:
    """Did the bank's hand-off open this session? It marks the session's second factor "bank_sso"
    (backend/sso/views.py: _log_in); a password login never does."""
    session = getattr(request, "session", None)
    return session is not None and session.get(VERIFIED_SESSION_KEY) == "bank_sso"


def signed_in_bank_return_url(request: HttpRequest) -> str:
    """The header's way back to the bank while the bank's hand-off session is signed in, else "" (a password
    session, or no bank to go back to)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not came_from_bank(request):
        return ""
    return bank_return_url()


def remember_bank_logout(request: HttpRequest) -> None:
    """After the logout of a session the bank opened: the login page offers the way back, once."""
    request.session[_LOGGED_OUT_FROM_BANK] = True


def offer_bank_return(request: HttpRequest) -> None:
    """The login page offers the way back to the bank, once, as after a bank session's logout: to someone
    who opened the hand-off address itself instead of coming from online banking."""
    remember_bank_logout(request)


def take_bank_return_url(request: HttpRequest) -> str:
    """The way back to the bank for the login page just after a bank session's logout, else ""."""
    return bank_return_url() if request.session.pop(_LOGGED_OUT_FROM_BANK, False) else ""
