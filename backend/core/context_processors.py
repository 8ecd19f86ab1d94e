from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """Customer service as every page's footer names it (the settings the e-mails use too), and the login
    page's link to the demo bank. The active client comes from clients.context_processors."""
    phone = settings.CUSTOMER_SERVICE_PHONE
    context = {
        "customer_service": {
            "phone": phone,
            # A Polish number dialled from anywhere: +48 and its digits (a number given with + is kept).
            "phone_uri": ("tel:+" if phone.startswith("+") else "tel:+48") + re.sub(r"\D", "", phone),
            "email": settings.CUSTOMER_SERVICE_EMAIL,
        }
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        context["bank_simulator_enabled"] = settings.BANK_SIMULATOR_ENABLED
    return context
