"""Pure biometric and cryptographic helpers for consent: no Django, and no heavy import at module level.

- `envelope`: the biometric vault's envelope encryption (AES-256-GCM, streamed in authenticated chunks).
- `media`: upload validation with PyAV (decodable, codec, duration, resolution, one face).
- `face`: face detection and 128-D identity embeddings with dlib; statement-vs-sample matching.
- `voice`: speaker embeddings with resemblyzer; statement-vs-sample matching.
- `codes`: one-time statement codes, stored only as an HMAC.

dlib, resemblyzer, torch and av are imported inside the functions that need them, so that importing this
package (for example from a Django view) costs nothing; each model is loaded once per process.
"""

from __future__ import annotations

from consent.biometrics.errors import BiometricError, MediaRejected, VaultIntegrityError

__all__ = ["BiometricError", "MediaRejected", "VaultIntegrityError"]
