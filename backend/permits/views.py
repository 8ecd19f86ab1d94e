"""/verify/permit/<code>/: the public verification page of a permit (no login).

Shows only what a border guard or a police officer needs: holder, vehicle, countries, dates and whether
the permit is valid, revoked or expired; nothing else of the client. Limited per IP address
(PERMIT_VERIFY_LIMIT_PER_MINUTE, default 30): with 160-bit codes guessing is hopeless anyway, the
limit keeps scrapers off. An unknown code answers 404 with the same page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backend.core.net import client_ip
from backend.permits.countries import country_name
from backend.permits.models import VehiclePermit

TEMPLATE = "permits/verify.html"
CODE_MAX_LENGTH = 64


def _limited(request: HttpRequest) -> bool:
    """Count the page's answers per IP in the current minute (the cache is shared by the process)."""
    limit = getattr(settings, "PERMIT_VERIFY_LIMIT_PER_MINUTE", 30)
    key = f"permit-verify:{client_ip(request) or 'unknown'}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=60):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False


def permit_status(permit: VehiclePermit, *, today=None) -> str:
    """valid | revoked | expired | not_yet_valid."""
    today = today or timezone.localdate()
    if permit.status == VehiclePermit.Status.REVOKED:
        return "revoked"
    if permit.date_to < today:
        return "expired"
    if permit.date_from > today:
        return "not_yet_valid"
    return "valid"


@require_GET
def verify_permit(request: HttpRequest, code: str) -> HttpResponse:
    if _limited(request):
        return render(request, TEMPLATE, {"limited": True}, status=429)
    code = code.strip().upper()
    permit = VehiclePermit.objects.filter(code=code).first() if 0 < len(code) <= CODE_MAX_LENGTH else None
    if permit is None:
        return render(request, TEMPLATE, {"unknown": True}, status=404)
    context = {
        "permit": permit,
        "state": permit_status(permit),
        "countries": [(c, country_name(c)) for c in permit.countries],
    }
    return render(request, TEMPLATE, context)
