"""A render's voice on the Django side: which backend and preset speak, how fast and how high.

`clean_voice` turns what a form or the API sent into the four settings a job or short video stores (`tts_backend`,
`voice`, `voice_rate`, `voice_pitch`), or a 400 DomainError whose code is the engine's (speech/voice.py) and whose
message is a sentence. `stream_voice_settings` turns stored settings back into StreamConfig's keyword arguments; the
voice-clone backend ("clone") becomes a per-render backend registered by render/voice_clone.py.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings as django_settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.api import DomainError
from render.engine.options import TTS_BACKENDS, VOICE_PITCH_RANGE, VOICE_PRESETS, VOICE_RATE_RANGE
from render.engine.speech import kokoro_backend
from render.models import Avatar
from render.voice_clone import CLONE_BACKEND, clone_configured

logger = logging.getLogger(__name__)

# What a job stored before jobs recorded their backend speaks (their takeovers must sound as they began).
LEGACY_BACKEND = "espeak"

# What a brand may choose: the engine's offered backends, and the influencer's cloned voice.
VOICE_BACKENDS: tuple[str, ...] = (*TTS_BACKENDS, CLONE_BACKEND)
BACKEND_LABELS = {
    "kokoro": gettext_lazy("Neural voice (Kokoro)"),
    "espeak": gettext_lazy("Synthetic voice (eSpeak NG)"),
    CLONE_BACKEND: gettext_lazy("The influencer's own voice (voice clone, needs voice consent)"),
}


def default_backend() -> str:
    """The voice a render speaks when its brand chose none: settings.TTS_DEFAULT_BACKEND (the neural voice unless
    configured otherwise), or espeak-ng when that is Kokoro and its packages are missing, so a platform installed
    without them still speaks (the job stores which, so its record says what was heard)."""
    chosen = str(django_settings.TTS_DEFAULT_BACKEND)
    if chosen == "kokoro" and not kokoro_backend.installed():
        logger.warning("the neural voice's packages are not installed: the default voice is espeak-ng")
        return "espeak"
    return chosen


def voice_form_choices() -> dict[str, Any]:
    """What a page's voice fields offer (the same choices `clean_voice` accepts)."""
    return {
        "voice_default_label": BACKEND_LABELS[default_backend()],
        "voice_backends": [
            (name, BACKEND_LABELS[name]) for name in VOICE_BACKENDS if name != CLONE_BACKEND or clone_configured()
        ],
        "voice_presets": [(backend, presets) for backend, presets in VOICE_PRESETS.items()],
        "voice_rate_range": VOICE_RATE_RANGE,
        "voice_pitch_range": VOICE_PITCH_RANGE,
    }


def _number(value: Any, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        rate = field == "voice_rate"
        message = _("The speaking rate must be a number.") if rate else _("The pitch must be a number.")
        raise DomainError(message, code=f"invalid_{field}", status_code=400)
    return number


def clean_voice(
    *,
    avatar: Avatar,
    tts_backend: str | None = None,
    voice: str | None = None,
    voice_rate: Any = 1.0,
    voice_pitch: Any = 1.0,
) -> dict[str, Any]:
    """The stored voice settings, or DomainError 400 with a stable code and a sentence."""
    backend = tts_backend or default_backend()
    if backend not in VOICE_BACKENDS:
        raise DomainError(
            _("The voice must be one of: %(choices)s.") % {"choices": ", ".join(VOICE_BACKENDS)},
            code="unknown_tts_backend",
            status_code=400,
        )
    preset = voice or None
    rate = _number(voice_rate if voice_rate not in (None, "") else 1.0, "voice_rate")
    pitch = _number(voice_pitch if voice_pitch not in (None, "") else 1.0, "voice_pitch")
    if backend == CLONE_BACKEND:
        if not avatar.voice:
            raise DomainError(
                _("The influencer's own voice needs an avatar made with voice consent."),
                code="clone_needs_voice_avatar",
                status_code=400,
            )
        if not clone_configured():
            raise DomainError(
                _("No voice clone server is configured on this platform."),
                code="clone_server_not_configured",
                status_code=400,
            )
        if preset is not None:
            raise DomainError(_("The influencer's own voice has no presets."), code="unknown_voice", status_code=400)
    else:
        presets = VOICE_PRESETS.get(backend, ())
        if preset is not None and preset not in presets:
            raise DomainError(
                _("The voice preset must be one of: %(choices)s (or none, for the default).")
                % {"choices": ", ".join(presets)},
                code="unknown_voice",
                status_code=400,
            )
    low, high = VOICE_RATE_RANGE
    if not low <= rate <= high:
        raise DomainError(
            _("The speaking rate must be between %(low)s and %(high)s.") % {"low": low, "high": high},
            code="bad_voice_rate",
            status_code=400,
        )
    low, high = VOICE_PITCH_RANGE
    if not low <= pitch <= high:
        raise DomainError(
            _("The pitch must be between %(low)s and %(high)s.") % {"low": low, "high": high},
            code="bad_voice_pitch",
            status_code=400,
        )
    return {"tts_backend": backend, "voice": preset, "voice_rate": rate, "voice_pitch": pitch}


def stream_voice_settings(
    settings: dict[str, Any], *, avatar: Avatar, purpose: str, platform: str, render_id: str
) -> dict[str, Any]:
    """StreamConfig keyword arguments for stored settings (jobs stored before jobs recorded a backend speak
    espeak-ng, as they began)."""
    backend = str(settings.get("tts_backend") or LEGACY_BACKEND)
    rate = float(settings.get("voice_rate", 1.0))
    pitch = float(settings.get("voice_pitch", 1.0))
    if backend == CLONE_BACKEND:
        from render.voice_clone import clone_backend_for

        name = f"{CLONE_BACKEND}:{render_id}"
        clone_backend_for(avatar=avatar, purpose=purpose, platform=platform, name=name)
        # The backend asks the gate itself before every utterance; the flag only opens the registry's door.
        return {
            "tts_backend": name,
            "voice": None,
            "voice_rate": rate,
            "voice_pitch": pitch,
            "voice_consent_granted": True,
        }
    return {
        "tts_backend": backend,
        "voice": settings.get("voice") or None,
        "voice_rate": rate,
        "voice_pitch": pitch,
        "voice_consent_granted": "voice" in avatar.modalities,
    }
