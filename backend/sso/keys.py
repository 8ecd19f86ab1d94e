"""The bank's signing keys. The portal reads only the public key; the private one is the simulator's.

Production names the bank's public key (BANK_SSO_PUBLIC_KEY_FILE) and runs no simulator, so no private
key exists on the portal host. The embedded demo's bank simulator makes its own P-256 key pair in
BANK_SIMULATOR_KEY_DIR on first use. Nothing here ever writes the configured public key file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_PRIVATE_KEY_NAME = "private.pem"
DEMO_PUBLIC_KEY_NAME = "public.pem"


def _demo_paths() -> tuple[Path, Path]:
    folder = Path(settings.BANK_SIMULATOR_KEY_DIR)
    return folder / DEMO_PRIVATE_KEY_NAME, folder / DEMO_PUBLIC_KEY_NAME


def _configured_public_key() -> Path | None:
    configured = settings.BANK_SSO_PUBLIC_KEY_FILE
    return Path(configured) if configured else None


def ensure_demo_key_pair() -> None:
    """Create the demo bank's key pair if missing; a file lock keeps two processes from writing a mixed pair.

    Refuses when the demo folder is where the configured bank key lives: a real key is never replaced.
    """
    if not settings.BANK_SIMULATOR_ENABLED:
        raise ImproperlyConfigured("The demo bank's keys exist only while BANK_SIMULATOR_ENABLED is on.")
    private_path, public_path = _demo_paths()
    if private_path.exists() and public_path.exists():
        return
    configured = _configured_public_key()
    if configured is not None and configured.resolve() in {private_path.resolve(), public_path.resolve()}:
        raise ImproperlyConfigured(
            f"BANK_SIMULATOR_KEY_DIR holds the configured bank key {configured}: the demo bank will not "
            "overwrite it. Give the simulator its own folder."
        )
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
    """Return the bank's public key (PEM): the configured file, else the demo bank's while it is on."""
    configured = _configured_public_key()
    if configured is not None:
        return configured.read_bytes() if configured.exists() else None
    if not settings.BANK_SIMULATOR_ENABLED:
        return None
    ensure_demo_key_pair()
    return _demo_paths()[1].read_bytes()


def load_private_key_pem() -> bytes:
    """Return the demo bank's private key; only the bank simulator calls this."""
    ensure_demo_key_pair()
    return _demo_paths()[0].read_bytes()
