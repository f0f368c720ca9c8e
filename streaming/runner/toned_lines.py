"""The runner's next playlist line, in the host's current tone and strategy tier (interaction/tone.py).

Once per line the host state is updated from the room (interaction.host_state: ledgered when it changes); the tier
picks which approved line of the current version comes next (streaming.runner.playlist.speaking_order), the tone
sets the line's own speaking rate and pitch (multiples of the stream's voice, inside the engine's ranges) and the
gesture it is performed with. The words are the approved ones, unchanged. What was chosen is stored on the line (and
so in the lease's blocks), so a worker taking over re-plans the same audio.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from interaction.host_state import host_tone_now, update_host_state
from interaction.tone import performed_intent, tone_voice
from streaming.models import Stream
from streaming.runner.plan_blocks import script_line  # noqa: F401 - the planned line with its tone, for callers here
from streaming.runner.playlist import NextLine, next_line


def job_voice_settings(stream: Stream) -> dict[str, Any]:
    """The stream's voice as a render job's settings keys (render.voices.clean_voice stored them); {} = default."""
    voice = stream.voice or {}
    keys = ("tts_backend", "voice", "voice_rate", "voice_pitch")
    return {key: voice[key] for key in keys if key in voice}


def toned_line(line: dict[str, Any], *, tone: str, rate: float, pitch: float) -> dict[str, Any]:
    voice_rate, voice_pitch = tone_voice(tone, rate, pitch)
    return {
        **line,
        "tone": tone,
        "voice_rate": voice_rate,
        "voice_pitch": voice_pitch,
        "performed_intent": performed_intent(tone, str(line["intent"])),
    }


def toned_next_line(stream: Stream, cursor: dict[str, Any]) -> NextLine:
    """The next approved line for the room as it is now."""
    mood = update_host_state(stream)
    following = next_line(stream, cursor, tier=mood.tier)
    rate, pitch = _stream_voice(stream)
    return replace(following, line=toned_line(following.line, tone=mood.tone, rate=rate, pitch=pitch))


def in_host_tone(stream: Stream, line: dict[str, Any]) -> dict[str, Any]:
    """An operator's interjection or an answer to a viewer in the tone the host is speaking in (the room is read
    once per playlist line, not again here), so the host's voice does not change for the lines between; before the
    first playlist line, the stream's own voice."""
    tone_now = host_tone_now(stream)
    if tone_now is None:
        return line
    rate, pitch = _stream_voice(stream)
    return toned_line(line, tone=tone_now, rate=rate, pitch=pitch)


def _stream_voice(stream: Stream) -> tuple[float, float]:
    voice = stream.voice or {}
    return float(voice.get("voice_rate", 1.0)), float(voice.get("voice_pitch", 1.0))
