from __future__ import annotations

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _pem_pair():
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


@pytest.fixture
def bank_keys(settings, tmp_path):
    """The bank's key pair in a temporary folder; the portal is configured with its public half."""
    private, public = _pem_pair()
    (tmp_path / "private.pem").write_bytes(private)
    (tmp_path / "public.pem").write_bytes(public)
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path  # the demo bank signs with this pair's private half
    settings.BANK_SSO_PUBLIC_KEY_FILE = str(tmp_path / "public.pem")
    settings.BANK_SSO_ENABLED = True
    return private


@pytest.fixture
def sign(bank_keys, settings):
    """Return a signer of bank assertions; keyword arguments override claims (None drops one)."""

    def make(*, key: bytes | None = None, lifetime: int = 60, issued_ago: int = 0, **overrides) -> str:
        now = int(time.time()) - issued_ago
        claims = {
            "iss": settings.BANK_SSO_ISSUER,
            "aud": settings.BANK_SSO_AUDIENCE,
            "sub": "BANK-0001",
            "contract": "",
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
        }
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, key or bank_keys, algorithm="ES256")

    return make


@pytest.fixture
def foreign_key() -> bytes:
    return _pem_pair()[0]
