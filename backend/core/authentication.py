"""The API's one authentication: the portal's browser session (the login page's cookie), answered in the
portal's terms.

- No session: 401 `not_authenticated` with `WWW-Authenticate: Session`. DRF answers 401 only when the first
  authentication class names a challenge; Django's SessionAuthentication names none, so an anonymous call
  was a 403, like a refusal. 403 stays for a logged-in user who may not do it.
- A missing or wrong CSRF token on an unsafe method: 403 `csrf_failed` with a sentence for the user, not
  DRF's "CSRF Failed: <Django's reason>" (English, naming the header and the token's length).
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

logger = logging.getLogger(__name__)

# The scheme a 401 names: the session cookie from /login/ (the same value as the session-expired answer's).
SESSION_CHALLENGE = "Session"


class CsrfFailed(exceptions.PermissionDenied):
    default_detail = _(
        "The security token of this session is missing or out of date. Reload the page and try again."
    )
    default_code = "csrf_failed"


class PortalSessionAuthentication(SessionAuthentication):
    def authenticate_header(self, request) -> str:
        return SESSION_CHALLENGE

    def enforce_csrf(self, request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            # Django's reason (no cookie, a token of the wrong length…) is for the log, not the user.
            logger.info("API call refused by the CSRF check: %s", exc.detail)
            raise CsrfFailed() from exc
