"""Errors with stable machine-readable codes, so the Django side can turn each into a 4xx JSON error."""

from __future__ import annotations


class BiometricError(Exception):
    """Base class: `code` is stable (API clients match on it), `message` is for people."""

    code: str = "biometric_error"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class VaultIntegrityError(BiometricError):
    """A vault object or wrapped key failed authentication: wrong key, wrong AAD, tampered, truncated or shredded.

    The cases are deliberately not told apart: AES-GCM cannot tell them apart either, and an attacker learns
    nothing from a uniform answer.
    """

    def __init__(self, message: str = "the encrypted object failed authentication") -> None:
        super().__init__("vault_integrity", message)


class MediaRejected(BiometricError):  # noqa: N818 - a refusal, not a fault; the name reads as the outcome
    """An upload was refused. Codes: undecodable, unsupported_codec, too_short, too_long, resolution_too_low,
    no_face, multiple_faces, face_not_visible_enough, no_audio, no_speech."""
