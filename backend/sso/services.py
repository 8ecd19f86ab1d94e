"""Verify the bank's hand-off assertion and find who it logs in and which contract it opens.

The assertion is a JWT signed by the bank (ES256 or RS256) with claims iss, aud, sub (bank customer id),
contract (contract number), iat, exp and jti. It is accepted once, within its at most 120 s of life,
only for a bank customer explicitly linked to a portal user and a contract of one of that user's clients.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.access_rules import Area, user_contract_condition
from backend.contracts.models import Contract
from backend.sso.keys import load_public_key_pem
from backend.sso.models import BankCustomerLink, UsedAssertion

logger = logging.getLogger(__name__)
MAX_LIFETIME_SECONDS = 120
LEEWAY_SECONDS = 5  # clock skew between the bank and the portal


class SsoRejected(Exception):
    """The hand-off is refused; `reason` is a stable code for the page and the audit log."""

    def __init__(self, reason: str, *, claims: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.claims = claims or {}


@dataclass(frozen=True)
class SsoHandoff:
    user: User
    contract: Contract
    bank_customer_id: str
    jti: str


def _bank_key() -> tuple[object, list[str]]:
    """Return the bank's public key and the one algorithm that fits it (ES256 for EC, RS256 for RSA).

    Offering only the key's own algorithm turns a token of the other kind into InvalidAlgorithmError;
    offering both made PyJWT try the RSA verifier on an EC key and raise InvalidKeyError (a 500).
    """
    pem = load_public_key_pem()
    if pem is None:
        raise SsoRejected("not_configured")
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        logger.error("The bank's public key cannot be read: %s", exc)
        raise SsoRejected("not_configured") from exc
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key, ["ES256"]
    if isinstance(key, rsa.RSAPublicKey):
        return key, ["RS256"]
    logger.error("The bank's public key is neither EC nor RSA: %s", type(key).__name__)
    raise SsoRejected("not_configured")


def _decode(token: str) -> dict:
    public_key, algorithms = _bank_key()
    try:
        claims = jwt.decode(
            token,
            public_key,
            algorithms=algorithms,
            audience=settings.BANK_SSO_AUDIENCE,
            issuer=settings.BANK_SSO_ISSUER,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "sub", "iat", "exp", "jti"]},
        )
    except jwt.InvalidSignatureError as exc:
        raise SsoRejected("bad_signature") from exc
    except jwt.InvalidAudienceError as exc:
        raise SsoRejected("wrong_audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise SsoRejected("wrong_issuer") from exc
    except jwt.ExpiredSignatureError as exc:
        raise SsoRejected("expired") from exc
    except jwt.InvalidAlgorithmError as exc:  # e.g. RS256 or HS256 against the bank's EC key
        raise SsoRejected("wrong_algorithm") from exc
    except jwt.InvalidTokenError as exc:  # malformed, missing claim, iat in the future
        raise SsoRejected("malformed") from exc
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as exc:
        # Anything else the token makes the library raise (InvalidKeyError, bad numbers): still a
        # rejection with its audit row, never a 500.
        logger.warning("Bank assertion rejected by an unexpected verification error: %r", exc)
        raise SsoRejected("malformed") from exc
    if _holds_nul(claims):
        # PostgreSQL stores no NUL in text or jsonb: the jti's row and the audit row of these claims
        # would be a 500 there (a rejection on SQLite). No claim of a real bank holds one.
        raise SsoRejected("malformed")
    return claims


def _holds_nul(claims: dict) -> bool:
    """Whether a decoded claim (a name or value, at any depth) holds the NUL character."""
    pending: list[object] = [claims]
    while pending:  # a loop, not recursion: the payload's depth is the bank's to choose
        value = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def _check_lifetime(claims: dict) -> datetime:
    """Enforce the 120 s maximum even when the bank set a later exp; return the effective expiry."""
    try:
        issued_at = datetime.fromtimestamp(int(claims["iat"]), tz=UTC)
        expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:  # e.g. exp=1e30: out of datetime's range
        raise SsoRejected("malformed", claims=claims) from exc
    if expires_at - issued_at > timedelta(seconds=MAX_LIFETIME_SECONDS):
        raise SsoRejected("lifetime_too_long", claims=claims)
    if timezone.now() > issued_at + timedelta(seconds=MAX_LIFETIME_SECONDS + LEEWAY_SECONDS):
        raise SsoRejected("expired", claims=claims)
    return expires_at


def _consume_jti(claims: dict, expires_at: datetime) -> None:
    """Remember the jti until it expires; the unique constraint lets only one of two racers through."""
    jti = str(claims["jti"])
    if not jti or len(jti) > 128:
        raise SsoRejected("malformed", claims=claims)
    UsedAssertion.objects.filter(expires_at__lt=timezone.now() - timedelta(seconds=LEEWAY_SECONDS)).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                jti=jti,
                bank_customer_id=str(claims["sub"])[:64],
                expires_at=expires_at + timedelta(seconds=LEEWAY_SECONDS),
            )
    except IntegrityError as exc:
        raise SsoRejected("replayed", claims=claims) from exc


def verify_bank_assertion(*, token: str) -> SsoHandoff:
    """Return who the assertion logs in and which contract it opens, or raise SsoRejected."""
    if not settings.BANK_SSO_ENABLED:
        raise SsoRejected("disabled")
    if not token or len(token) > 8192:
        raise SsoRejected("malformed")
    claims = _decode(token)
    expires_at = _check_lifetime(claims)
    _consume_jti(claims, expires_at)
    bank_customer_id = str(claims["sub"])
    user = _linked_user(bank_customer_id, claims=claims)
    contract = _visible_contract(user, {"number": str(claims.get("contract", ""))}, claims=claims)
    return SsoHandoff(user=user, contract=contract, bank_customer_id=bank_customer_id, jti=str(claims["jti"]))


def _linked_user(bank_customer_id: str, *, claims: dict) -> User:
    link = BankCustomerLink.objects.select_related("user").filter(bank_customer_id=bank_customer_id).first()
    if link is None or not link.user.is_active or not link.user.is_client_user:
        raise SsoRejected("unknown_customer", claims=claims)
    return link.user


def _visible_contract(user: User, lookup: dict, *, claims: dict) -> Contract:
    # Only a contract the user's active membership may see: a suspended membership, another role's area
    # or a contract outside the user's set is as foreign as another company's.
    visible = user_contract_condition(user, area=Area.CONTRACTS)
    contract = Contract.objects.select_related("client").filter(visible, **lookup).first()
    if contract is None:
        raise SsoRejected("foreign_contract", claims=claims)
    return contract


def resume_handoff(*, bank_customer_id: str, contract_id: int, jti: str) -> SsoHandoff:
    """A verified hand-off kept while the browser confirmed it (backend/sso/pending.py), checked again now:
    the link, the user and the contract must still be what the assertion allowed."""
    claims = {"sub": bank_customer_id, "jti": jti}
    user = _linked_user(bank_customer_id, claims=claims)
    contract = _visible_contract(user, {"pk": contract_id}, claims=claims)
    return SsoHandoff(user=user, contract=contract, bank_customer_id=bank_customer_id, jti=jti)


def link_bank_customer(*, bank_customer_id: str, user: User) -> BankCustomerLink:
    link, _ = BankCustomerLink.objects.update_or_create(
        bank_customer_id=bank_customer_id, defaults={"user": user}
    )
    return link
