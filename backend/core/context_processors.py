from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """The login page's link to the demo bank. The active client comes from clients.context_processors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bank_simulator_enabled": settings.BANK_SIMULATOR_ENABLED}
    return {}
