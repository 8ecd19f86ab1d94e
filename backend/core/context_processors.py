from __future__ import annotations

import re
import time

from django.conf import settings
from django.http import HttpRequest

from backend.core.middleware import session_absolute_end, session_seconds_left
from backend.core.money import format_time


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
        absolute_end = session_absolute_end(request.session)
        if absolute_end is not None:
            # The end no activity moves: said ahead with its time (Europe/Warsaw, as every portal time).
            context["session_timeout"] |= {
                "absolute_seconds_left": max(0, int(absolute_end.timestamp() - time.time())),
                "absolute_warn_before": settings.SESSION_ABSOLUTE_WARNING_SECONDS,
                "absolute_time": format_time(absolute_end),
                "absolute_hours": max(1, round(settings.SESSION_ABSOLUTE_AGE / 3600)),
            }
    return context
