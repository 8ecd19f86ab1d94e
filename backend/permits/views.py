"""/verify/permit/<code>/: the public verification page of a permit (no login).

Shows only what a border guard or a police officer needs: holder, vehicle, countries, dates and whether
the permit is valid, revoked or expired; nothing else of the client. Limited per IP address
(PERMIT_VERIFY_LIMIT_PER_MINUTE, default 30): with 160-bit codes guessing is hopeless anyway, the
limit keeps scrapers off. An unknown code answers 404 with the same page. `/verify/permit/` is the form
the PDF sends the reader to ("po wpisaniu kodu"): the code typed with or without dashes, in any case.
The page speaks Polish or English: the reader's PL/EN choice (`?lang=`), else the browser's language (a
foreign officer has no account to keep a choice on), else Polish.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from backend.core.language import DEFAULT_LANGUAGE, supported_language
from backend.core.net import client_ip
from backend.core.throttling import THROTTLE_CACHE, warn_uncounted
from backend.permits.countries import country_name
from backend.permits.models import VehiclePermit

TEMPLATE = "permits/verify.html"
FORM_TEMPLATE = "permits/verify_form.html"
CODE_MAX_LENGTH = 64
CODE_GROUP = 4  # effects.new_code writes the code in groups of four: ABCD-EFGH-…
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def canonical_code(typed: str) -> str:
    """The code as issued (upper case, dashes every four characters) from however it was typed."""
    text = _NOT_CODE.sub("", (typed or "").upper())[: CODE_MAX_LENGTH * 2]
    return "-".join(text[i : i + CODE_GROUP] for i in range(0, len(text), CODE_GROUP))


def _speak_visitors_language(request: HttpRequest) -> str:
    """The PL/EN link's choice, else the browser's Accept-Language, else Polish (activated for the page;
    the locale middleware deactivates it after the response)."""
    language = supported_language(request.GET.get("lang")) or supported_language(
        (translation.get_language_from_request(request) or "")[:2]
    )
    language = language or DEFAULT_LANGUAGE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _limited(request: HttpRequest) -> bool:
    """Count the page's answers per IP in the current minute, in the API throttles' cache: shared by every
    web process (Redis scaled, files embedded), so the limit holds per IP, not per IP and process. Like
    the API's limits it fails open when that store is unreachable (backend/core/throttling.py)."""
    limit = getattr(settings, "PERMIT_VERIFY_LIMIT_PER_MINUTE", 30)
    key = f"permit-verify:{client_ip(request) or 'unknown'}:{int(timezone.now().timestamp() // 60)}"
    cache = caches[THROTTLE_CACHE]
    try:
        if cache.add(key, 1, timeout=61):
            return False
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False
    except Exception as exc:  # the store is down (redis.ConnectionError, an OSError…): served uncounted
        warn_uncounted("permit_verify", exc)
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
def verify_permit_form(request: HttpRequest) -> HttpResponse:
    """/verify/permit/: the code typed from the paper leads to its page (the same limit per IP)."""
    language = _speak_visitors_language(request)
    if _limited(request):
        return render(request, TEMPLATE, {"limited": True, "lang": language}, status=429)
    typed = request.GET.get("code", "")
    code = canonical_code(typed)
    if code:
        target = redirect("permit-verify", code=code)
        target["Location"] += f"?lang={language}"
        return target
    status = 400 if "code" in request.GET else 200
    return render(
        request, FORM_TEMPLATE, {"typed": typed, "empty": status == 400, "lang": language}, status=status
    )


@require_GET
def verify_permit(request: HttpRequest, code: str) -> HttpResponse:
    language = _speak_visitors_language(request)
    if _limited(request):
        return render(request, TEMPLATE, {"limited": True, "lang": language}, status=429)
    code = canonical_code(code)
    permit = VehiclePermit.objects.filter(code=code).first() if 0 < len(code) <= CODE_MAX_LENGTH else None
    if permit is None:
        return render(request, TEMPLATE, {"unknown": True, "lang": language}, status=404)
    context = {
        "permit": permit,
        "state": permit_status(permit),
        "countries": [(c, country_name(c)) for c in permit.countries],
        "lang": language,
    }
    return render(request, TEMPLATE, context)
