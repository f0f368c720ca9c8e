"""The platform's signing keys: loading them, and creating them for development (`manage.py init_keys`).

The ledger signs checkpoints with one Ed25519 key (settings.LEDGER_SIGNING_KEY_PATH, PEM PKCS#8, mode 0600). Every
public key ever used stays in settings.LEDGER_PUBLIC_KEYS_DIR as `<key_id>.pem`, so checkpoints signed before a
rotation still verify. `init_keys` runs a list of steps (INIT_STEPS) so later capabilities can add their own keys
(e.g. a C2PA development certificate chain) without touching the ledger's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from audit.verify import key_id_for
from common.files import write_private

__all__ = ["write_private"]  # re-exported: render.keys and others import it from here


class KeyUnavailableError(RuntimeError):
    """A key file is missing or unreadable; the message names the path and the command that creates it."""


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    key_id: str

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _hint(path: Path) -> str:
    return f"Run `python manage.py init_keys` to create it, or point the setting at the right file ({path})."


def load_signing_key(path: Path | None = None) -> SigningKey:
    path = Path(path or settings.LEDGER_SIGNING_KEY_PATH)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyUnavailableError(f"The ledger signing key {path} does not exist. {_hint(path)}") from None
    except OSError as exc:
        raise KeyUnavailableError(
            f"The ledger signing key {path} cannot be read ({exc.strerror}). {_hint(path)}"
        ) from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyUnavailableError(f"The ledger signing key {path} is not a readable PEM key. {_hint(path)}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnavailableError(f"The ledger signing key {path} is not an Ed25519 key. {_hint(path)}")
    return SigningKey(private_key=key, key_id=key_id_for(raw_public_bytes(key.public_key())))


def load_public_keys(directory: Path | None = None) -> dict[str, bytes]:
    """Every ledger public key by key id, as raw 32-byte keys. The id is recomputed, never taken from the name."""
    directory = Path(directory or settings.LEDGER_PUBLIC_KEYS_DIR)
    if not directory.is_dir():
        raise KeyUnavailableError(f"The ledger public keys directory {directory} does not exist. {_hint(directory)}")
    keys: dict[str, bytes] = {}
    for pem in sorted(directory.glob("*.pem")):
        try:
            key = serialization.load_pem_public_key(pem.read_bytes())
        except (OSError, ValueError) as exc:
            raise KeyUnavailableError(f"The ledger public key {pem} cannot be read: {exc}.") from exc
        if isinstance(key, Ed25519PublicKey):
            raw = raw_public_bytes(key)
            keys[key_id_for(raw)] = raw
    return keys


def _publish(public_key: Ed25519PublicKey, directory: Path) -> Path:
    target = directory / f"{key_id_for(raw_public_bytes(public_key))}.pem"
    if not target.exists():
        # Public, but a key file all the same: owner-only like every file under the keys directory.
        write_private(
            target,
            public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        )
    return target


def ensure_ledger_key(*, rotate: bool = False) -> str:
    """Create the ledger signing key unless it exists (or replace it with `rotate`), and publish its public key.

    Rotation keeps every earlier public key in the public directory. Returns a line saying what was done.
    """
    path = Path(settings.LEDGER_SIGNING_KEY_PATH)
    public_dir = Path(settings.LEDGER_PUBLIC_KEYS_DIR)
    if path.exists() and not rotate:
        current = load_signing_key(path)
        _publish(current.private_key.public_key(), public_dir)
        return f"ledger key {current.key_id} already exists at {path} (use --rotate to replace it)"
    if path.exists():
        # Make sure the outgoing key's public half is kept before it is replaced.
        _publish(load_signing_key(path).private_key.public_key(), public_dir)
    key = Ed25519PrivateKey.generate()
    write_private(
        path,
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    published = _publish(key.public_key(), public_dir)
    verb = "rotated to" if rotate else "created"
    return f"ledger key {verb} {key_id_for(raw_public_bytes(key.public_key()))} at {path}; public key {published}"


# Each step takes `rotate` and returns one line for the operator. Later issues append their steps here.
INIT_STEPS: list[Callable[[bool], str]] = [lambda rotate: ensure_ledger_key(rotate=rotate)]


def init_keys(*, rotate: bool = False) -> list[str]:
    return [step(rotate) for step in INIT_STEPS]
