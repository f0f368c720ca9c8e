"""Consent texts: the notice items PIPL requires before sensitive personal information is processed, and the
content hash a grant records. Pure functions; no Django models.

PIPL Art. 17 and 30 (rules.md, CN-PIPL-SENSITIVE-NOTICE) require the processor's identity and contact, the purpose,
the processing method, the categories (each biometric modality is a separate choice, Art. 29), the necessity and
the impact on the person's rights, the retention period, the recipients, and how to withdraw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785
from django.utils.translation import gettext_noop

MODALITIES = ("face_likeness", "voice", "body_movement")
# What the statement page asks for each liveness action (consent.biometrics.liveness.ACTIONS), marked for translation.
LIVENESS_PROMPTS = {
    "turn_left": gettext_noop("Turn your head to your left"),
    "turn_right": gettext_noop("Turn your head to your right"),
    "open_mouth": gettext_noop("Open your mouth wide"),
    "blink": gettext_noop("Close your eyes for a moment"),
}

# Field name -> what it must state. Every value must be non-empty before a template is published.
PIPL_FIELDS: dict[str, str] = {
    "controller": "who processes the data (the platform's legal name)",
    "contact": "how to reach the personal-information protection contact",
    "purpose": "why the biometric data is processed",
    "processing_method": "how it is processed (recording, embedding, synthesis, storage)",
    "modalities": "one separate explanation for each of face_likeness, voice and body_movement",
    "necessity": "why the processing is necessary",
    "impact": "the impact on the person's rights and interests",
    "retention_period": "how long the data is kept",
    "recipients": "who receives the data or the synthesised output",
    "withdrawal": "the right to withdraw consent and how to exercise it",
}


def missing_pipl_fields(fields: Mapping[str, Any]) -> list[str]:
    """The PIPL notice items that are absent or empty, in a stable order (`modalities.<name>` for modalities)."""
    missing: list[str] = []
    for name in PIPL_FIELDS:
        value = fields.get(name)
        if name == "modalities":
            per_modality = value if isinstance(value, Mapping) else {}
            missing.extend(
                f"modalities.{modality}" for modality in MODALITIES if not _non_empty(per_modality.get(modality))
            )
        elif not _non_empty(value):
            missing.append(name)
    return missing


def _non_empty(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value) and all(_non_empty(item) for item in value)
    return False


def template_content_sha256(
    *, family: str, language: str, version: int, title: str, body: str, pipl_fields: Any
) -> str:
    """SHA-256 of the RFC 8785 text of everything the influencer reads: a grant records it and its receipt shows it."""
    document = {
        "family": family,
        "language": language,
        "version": version,
        "title": title,
        "body": body,
        "pipl_fields": pipl_fields,
    }
    return hashlib.sha256(rfc8785.dumps(document)).hexdigest()
