from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest

from backend.core.middleware import session_seconds_left


def customer_service() -> dict[str, str]:
    """Customer service as every page's footer names it (the settings the e-mails use too); settings only,
    so the standalone pages of an outage and of a server error show it without the database."""
    phone = settings.CUSTOMER_SERVICE_PHONE
    return {
        "phone": phone,
        # A Polish number dialled from anywhere: +48 and its digits (a number given with + is kept).
        "phone_uri": ("tel:+" if phone.startswith("+") else "tel:+48") + re.sub(r"\D", "", phone),
        "email": settings.CUSTOMER_SERVICE_EMAIL,
    }


def portal(request: HttpRequest) -> dict:
    """Customer service for every page's footer, and the login page's link to the demo bank. The active
    client comes from clients.context_processors."""
    context: dict = {"customer_service": customer_service()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        context["bank_simulator_enabled"] = settings.BANK_SIMULATOR_ENABLED
    elif getattr(request, "session", None) is not None:
        warn_before = settings.SESSION_TIMEOUT_WARNING_SECONDS
        context["session_timeout"] = {
            "seconds_left": session_seconds_left(request.session),
            "warn_before": warn_before,
            "idle_seconds": settings.SESSION_COOKIE_AGE,
            # What any request leaves at least (session_seconds_left): the page's scripts' requests count.
            "after_request": settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_INTERVAL,
            "warn_minutes": max(1, round(warn_before / 60)),
        }
    return context
