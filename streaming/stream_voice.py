"""A live stream's voice and strategy tiers, checked before they are stored (streaming/streams.py calls these).

The voice is checked by the same function as a render job's (render.voices.clean_voice: the engine's
options.TTS_BACKENDS, VOICE_PRESETS, VOICE_RATE_RANGE and VOICE_PITCH_RANGE, one source of truth), so the same
stable codes come back as a 400: `unknown_tts_backend`, `unknown_voice`, `bad_voice_rate`, `bad_voice_pitch`,
`invalid_voice_rate`, `invalid_voice_pitch`, and for the influencer's own voice `clone_needs_voice_avatar` /
`clone_server_not_configured`. The consent gate for the cloned voice is asked again by the runner on every utterance
(render.voice_clone), as for every render.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from common.api import DomainError
from render.models import Avatar
from render.voices import clean_voice

VOICE_KEYS = ("tts_backend", "voice", "voice_rate", "voice_pitch")
MAX_VIEWER_THRESHOLD = 10_000_000


def clean_stream_voice(*, avatar: Avatar, voice: Mapping[str, Any] | None) -> dict[str, Any]:
    """The voice to store on the stream ({} for none given: the platform's default voice)."""
    if not voice:
        return {}
    if not isinstance(voice, Mapping):
        raise DomainError(_("The voice must be an object."), code="invalid_voice", status_code=400)
    unknown = sorted(set(voice) - set(VOICE_KEYS))
    if unknown:
        raise DomainError(
            _("The voice takes only these fields: %(fields)s.") % {"fields": ", ".join(VOICE_KEYS)},
            code="invalid_voice",
            status_code=400,
        )
    return clean_voice(
        avatar=avatar,
        tts_backend=voice.get("tts_backend") or None,
        voice=voice.get("voice") or None,
        voice_rate=voice.get("voice_rate", 1.0),
        voice_pitch=voice.get("voice_pitch", 1.0),
    )


def _threshold(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if isinstance(value, bool) or not 1 <= number <= MAX_VIEWER_THRESHOLD or str(number) != str(value).strip():
        raise DomainError(
            _("A viewer threshold must be a whole number from 1 to %(max)s.") % {"max": MAX_VIEWER_THRESHOLD},
            code="bad_strategy_tiers",
            status_code=400,
        )
    return number


def clean_strategy_tiers(few_viewers_below: Any, crowd_from: Any) -> tuple[int | None, int | None]:
    """The stream's own viewer thresholds (None: the platform's default), few below crowd."""
    few, crowd = _threshold(few_viewers_below), _threshold(crowd_from)
    from interaction.host_state import stream_tiers_defaults

    default_few, default_crowd = stream_tiers_defaults()
    if (few or default_few) >= (crowd or default_crowd):
        raise DomainError(
            _("The few-viewers threshold must be below the crowd threshold."),
            code="bad_strategy_tiers",
            status_code=400,
        )
    return few, crowd
