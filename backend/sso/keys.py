"""The bank's signing keys. The portal reads only the public key; the private one is the simulator's.

In the embedded demo a P-256 key pair is generated into var/bank-sso/ on first use. In production the
bank's public key is configured (BANK_SSO_PUBLIC_KEY_FILE) and no private key exists on the portal host.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


def ensure_demo_key_pair() -> None:
    """Create the demo key pair if missing; a file lock keeps two processes from writing a mixed pair."""
    private_path = Path(settings.BANK_SSO_PRIVATE_KEY_FILE)
    public_path = Path(settings.BANK_SSO_PUBLIC_KEY_FILE)
    if private_path.exists() and public_path.exists():
        return
    private_path.parent.mkdir(parents=True, exist_ok=True)
    with open(private_path.parent / ".keygen.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if private_path.exists() and public_path.exists():
            return
        key = ec.generate_private_key(ec.SECP256R1())
        private_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _write_atomically(private_path, private_pem, mode=0o600)
        _write_atomically(public_path, public_pem, mode=0o644)


def _write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def load_public_key_pem() -> bytes | None:
    """Return the bank's public key (PEM), creating the demo pair when the simulator is on."""
    path = Path(settings.BANK_SSO_PUBLIC_KEY_FILE)
    if not path.exists() and settings.BANK_SIMULATOR_ENABLED:
        ensure_demo_key_pair()
    return path.read_bytes() if path.exists() else None


def load_private_key_pem() -> bytes:
    """Return the demo bank's private key; only the bank simulator calls this."""
    ensure_demo_key_pair()
    return Path(settings.BANK_SSO_PRIVATE_KEY_FILE).read_bytes()
