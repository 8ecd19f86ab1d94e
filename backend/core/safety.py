"""Production refuses unsafe configuration: at settings load (every process: ASGI, Celery, manage.py)
and as a system check (`manage.py check --deploy` names each problem with its id).

Only the embedded demo may run with the development secret key, the demo bank or DEBUG. A process
started with DJANGO_PRODUCTION=true and any of them stops before it serves a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from django.core.checks import Error, Tags, register

from backend.core.env import ConfigurationError

DEVELOPMENT_SECRET_KEY = "insecure-dev-key-change-me-" + "x" * 30
# Keys published in this repository (.env.example) or by Django's startproject template.
_PUBLISHED_SECRET_KEYS = {DEVELOPMENT_SECRET_KEY, "change-me-to-50-random-characters", "change-me"}
_PUBLISHED_PREFIXES = ("insecure-", "django-insecure-", "change-me")
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5
# The TOTP key `make run` gives the demo's staff and client administrators (RFC 6238's test secret,
# "12345678901234567890"; base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ). Published: refused in production.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
_DEMO_TOTP_KEYS = {DEMO_TOTP_KEY_HEX}


def is_demo_totp_key(hex_key: str) -> bool:
    return str(hex_key or "").lower() in _DEMO_TOTP_KEYS


def _secret_key_is_unsafe(key: str) -> bool:
    return (
        key in _PUBLISHED_SECRET_KEYS
        or key.startswith(_PUBLISHED_PREFIXES)
        or len(key) < MIN_SECRET_KEY_LENGTH
        or len(set(key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS
    )


def production_problems(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return (check id, message) for each unsafe setting when `config` is a production configuration."""
    if not config.get("PRODUCTION"):
        return []
    problems = []
    if config.get("BANK_SIMULATOR_ENABLED"):
        problems.append(
            (
                "core.E101",
                "BANK_SIMULATOR_ENABLED is on in production: the demo bank accepts any password and logs "
                "the visitor in as its customers. Set BANK_SIMULATOR_ENABLED=false.",
            )
        )
    if _secret_key_is_unsafe(str(config.get("SECRET_KEY") or "")):
        problems.append(
            (
                "core.E102",
                "DJANGO_SECRET_KEY is missing, published (development or example key) or weak: set "
                f"at least {MIN_SECRET_KEY_LENGTH} random characters.",
            )
        )
    if config.get("DEBUG"):
        problems.append(("core.E103", "DJANGO_DEBUG is on in production: set DJANGO_DEBUG=false."))
    if config.get("BANK_SSO_ENABLED") and not config.get("BANK_SSO_PUBLIC_KEY_FILE"):
        problems.append(
            (
                "core.E104",
                "BANK_SSO_ENABLED is on in production without BANK_SSO_PUBLIC_KEY_FILE: name the bank's "
                "public key (the demo bank's key is never used in production).",
            )
        )
    if "*" in (config.get("ALLOWED_HOSTS") or ()):
        problems.append(("core.E105", "DJANGO_ALLOWED_HOSTS allows any host ('*') in production."))
    base_url = str(config.get("PORTAL_BASE_URL") or "")
    if urlparse(base_url).scheme != "https" or not urlparse(base_url).hostname:
        problems.append(
            (
                "core.E107",
                f"PORTAL_BASE_URL={base_url!r} is not an https:// address in production: the links in "
                "e-mails (activation, password reset, replies) would go over plain HTTP or nowhere. Set "
                "PORTAL_BASE_URL=https://<the portal's host>.",
            )
        )
    if not config.get("SECURE_SSL_REDIRECT") and not config.get("PORTAL_TLS_TERMINATED_BY_PROXY"):
        problems.append(
            (
                "core.E108",
                "SECURE_SSL_REDIRECT is off in production: pages would be served over plain HTTP. Set "
                "SECURE_SSL_REDIRECT=true, or PORTAL_TLS_TERMINATED_BY_PROXY=true when the proxy in front "
                "terminates TLS and itself sends every plain HTTP request to HTTPS.",
            )
        )
    return problems


def refuse_unsafe_production(config: Mapping[str, Any]) -> None:
    """Stop the process at settings load when the production configuration is unsafe."""
    problems = production_problems(config)
    if problems:
        lines = "\n".join(f"  {check_id}: {message}" for check_id, message in problems)
        names = ", ".join(check_id for check_id, _message in problems)
        # The first line says it all (servers print it last, under the traceback); the lines below, how.
        raise ConfigurationError(f"Unsafe production configuration ({names}), refusing to start:\n{lines}")


@register(Tags.database)
def check_demo_totp_keys(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """In production no TOTP device may carry the published demo key (`check --database default`)."""
    from django.conf import settings

    if not getattr(settings, "PRODUCTION", False) or not databases:
        return []
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(key__in=sorted(_DEMO_TOTP_KEYS)).exists():
        return [
            Error(
                "A two-factor device uses the published demo TOTP key in production (it never verifies "
                "there): delete it and let the user enrol again.",
                id="core.E106",
            )
        ]
    return []


@register(Tags.security)
def check_production_safety(app_configs=None, **kwargs) -> list[Error]:
    """The same rules as a system check, for settings changed after load (and `check --deploy`)."""
    from django.conf import settings

    names = (
        "PRODUCTION",
        "BANK_SIMULATOR_ENABLED",
        "SECRET_KEY",
        "DEBUG",
        "BANK_SSO_ENABLED",
        "BANK_SSO_PUBLIC_KEY_FILE",
        "ALLOWED_HOSTS",
        "PORTAL_BASE_URL",
        "SECURE_SSL_REDIRECT",
        "PORTAL_TLS_TERMINATED_BY_PROXY",
    )
    config = {name: getattr(settings, name, None) for name in names}
    return [Error(message, id=check_id) for check_id, message in production_problems(config)]
