"""A voice-clone backend: the influencer's own voice from a self-hosted speech server (CosyVoice, Fish-Speech,
IndexTTS, ... behind an OpenAI-compatible endpoint). Pure library code: the Django side (render/voice_clone.py)
decides whether the consent covers the use and hands this module two callbacks.

The protocol (docs/voice.md, "Voice clone"):

- speech: `POST {base}/v1/audio/speech`, JSON `{"model", "input", "voice", "response_format": "wav"|"pcm"}`,
  answered with the audio body (WAV, or 16-bit little-endian mono PCM at `pcm_sample_rate`). OpenAI's own protocol.
- reference upload (our extension, the one most self-hosted servers offer in some form): `POST {base}/v1/voices`,
  multipart with `name` and `file` (a 16 kHz mono WAV of the influencer's consented sample), answered with JSON
  `{"id": "<voice id>"}`; the id is what `voice` names in speech requests.
- deletion: `DELETE {base}/v1/voices/{id}`: 200/204 deleted, 404 already gone; 405/501 means the server offers no
  deletion (ledgered as a failure: the operator must delete the voice by hand).

Every utterance first calls `authorize()` (the consent gate, which raises to refuse) and sends nothing if it raises;
the audio that comes back is handed to `verify(pcm, sample_rate)` (speaker similarity to the influencer's voice) before
it is returned, so nothing the gate or the check refused ever reaches the stream. The server gives no timings: the
phonemes of the same text (espeak-ng's, for their order and relative lengths) are stretched onto the span between
the first and the last loud frame of the returned audio, a coarse alignment documented in docs/voice.md.
"""

from __future__ import annotations

import io
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
import wave
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from render.engine.speech.types import FloatArray, Speech, SpeechError, TimedUnit, units_from_boundaries

SPEECH_PATH = "/v1/audio/speech"
VOICES_PATH = "/v1/voices"
# Frames quieter than this (dBFS RMS over 20 ms) count as silence when placing the phonemes on the audio.
_LOUD_DB = -40.0


class CloneServerError(SpeechError):
    """The clone server failed or answered something unusable; `code` is stable (clone_server_down,
    clone_server_timeout, clone_server_error, clone_bad_audio, clone_silent_audio, clone_delete_unsupported)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CloneServer:
    base_url: str  # scheme://host[:port][/prefix], checked by the Django side (SSRF)
    model: str
    api_key: str = ""
    timeout_s: float = 20.0
    response_format: str = "wav"  # or "pcm"
    pcm_sample_rate: int = 24_000


class CloneClient:
    """The HTTP side of the protocol above (urllib: no new dependency, no redirects followed)."""

    def __init__(self, server: CloneServer) -> None:
        if not server.base_url.lower().startswith(("http://", "https://")):
            raise CloneServerError("clone_server_url_invalid", "the voice clone server URL must be http(s)")
        self.server = server
        self._opener = urllib.request.build_opener(_NoRedirect)

    def _request(self, method: str, path: str, body: bytes | None, content_type: str | None) -> tuple[int, bytes]:
        url = self.server.base_url.rstrip("/") + path
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - http(s) only, checked above
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.server.api_key:
            request.add_header("Authorization", f"Bearer {self.server.api_key}")
        try:
            with self._opener.open(request, timeout=self.server.timeout_s) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read()
        except TimeoutError:
            raise CloneServerError(
                "clone_server_timeout", f"the voice clone server did not answer within {self.server.timeout_s:g} s"
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise CloneServerError(
                    "clone_server_timeout", f"the voice clone server did not answer within {self.server.timeout_s:g} s"
                ) from None
            raise CloneServerError(
                "clone_server_down", f"the voice clone server is unreachable ({exc.reason})"
            ) from None
        except OSError as exc:
            raise CloneServerError("clone_server_down", f"the voice clone server is unreachable ({exc})") from None

    def upload_reference(self, *, name: str, wav: bytes) -> str:
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'.encode(),
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="reference.wav"\r\n'.encode(),
                b"Content-Type: audio/wav\r\n\r\n",
                wav,
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        status, data = self._request("POST", VOICES_PATH, body, f"multipart/form-data; boundary={boundary}")
        if status not in (200, 201):
            raise CloneServerError("clone_server_error", f"the voice clone server refused the reference ({status})")
        try:
            voice_id = json.loads(data)["id"]
        except (ValueError, KeyError, TypeError):
            raise CloneServerError("clone_server_error", "the voice clone server answered no voice id") from None
        if not isinstance(voice_id, str) or not voice_id or len(voice_id) > 200:
            raise CloneServerError("clone_server_error", "the voice clone server answered an unusable voice id")
        return voice_id

    def delete_voice(self, voice_id: str) -> str:
        """'deleted' or 'already_gone'; CloneServerError otherwise (clone_delete_unsupported: no DELETE offered)."""
        status, _ = self._request("DELETE", f"{VOICES_PATH}/{urllib.parse.quote(voice_id, safe='')}", None, None)
        if status in (200, 202, 204):
            return "deleted"
        if status == 404:
            return "already_gone"
        if status in (405, 501):
            raise CloneServerError("clone_delete_unsupported", f"the voice clone server offers no deletion ({status})")
        raise CloneServerError("clone_server_error", f"the voice clone server did not delete the voice ({status})")

    def speech(self, *, text: str, voice_id: str) -> tuple[FloatArray, int]:
        body = json.dumps(
            {
                "model": self.server.model,
                "input": text,
                "voice": voice_id,
                "response_format": self.server.response_format,
            }
        ).encode()
        status, data = self._request("POST", SPEECH_PATH, body, "application/json")
        if status != 200:
            raise CloneServerError("clone_server_error", f"the voice clone server refused the line ({status})")
        if self.server.response_format == "pcm":
            if len(data) % 2:
                raise CloneServerError("clone_bad_audio", "the voice clone server's PCM has an odd byte count")
            pcm = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
            return pcm, self.server.pcm_sample_rate
        return decode_wav(data)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could send the reference audio to a host the SSRF check never saw.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def decode_wav(data: bytes) -> tuple[FloatArray, int]:
    """Mono float32 from a 16-bit PCM WAV (channels averaged); CloneServerError('clone_bad_audio') otherwise."""
    try:
        with wave.open(io.BytesIO(data)) as reader:
            channels, width, rate = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
            frames = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as exc:
        raise CloneServerError("clone_bad_audio", f"the voice clone server's audio is not a WAV file ({exc})") from None
    if width != 2 or rate <= 0 or channels < 1:
        raise CloneServerError("clone_bad_audio", "the voice clone server's WAV is not 16-bit PCM")
    pcm = np.frombuffer(frames[: len(frames) - len(frames) % (2 * channels)], dtype="<i2").astype(np.float32)
    return (pcm.reshape(-1, channels).mean(axis=1) / 32768.0).astype(np.float32), rate


def encode_wav(pcm: FloatArray, sample_rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(np.clip(np.round(np.asarray(pcm) * 32767.0), -32768, 32767).astype("<i2").tobytes())
    return out.getvalue()


def loud_span(pcm: FloatArray, sample_rate: int) -> tuple[int, int] | None:
    """First and last sample of the frames louder than −40 dBFS (20 ms frames), or None when all is quiet."""
    hop = max(sample_rate // 50, 1)
    count = len(pcm) // hop
    if count == 0:
        return None
    frames = np.asarray(pcm[: count * hop], dtype=np.float64).reshape(count, hop)
    db = 10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    loud = np.flatnonzero(db > _LOUD_DB)
    if loud.size == 0:
        return None
    return int(loud[0] * hop), int(min((loud[-1] + 1) * hop, len(pcm)))


class CloneBackend:
    """A TTS backend speaking in one cloned voice (a server-side voice id), for one render.

    `authorize` is called before every request (it raises to refuse: nothing is sent); `verify(pcm, rate)` is
    called on every returned utterance before it is used (it raises to refuse: the audio is dropped). Registered
    under a per-render name (`clone:<id>`) so that two renders never share a voice by accident.
    """

    requires_voice_consent = True
    languages = frozenset({"zh", "en"})

    def __init__(
        self,
        *,
        name: str,
        client: CloneClient,
        voice_id: str,
        authorize: Callable[[], None],
        verify: Callable[[FloatArray, int], None],
        timing_backend: str = "espeak",
    ) -> None:
        self.name = name
        self.client = client
        self.voice_id = voice_id
        self.authorize = authorize
        self.verify = verify
        self.timing_backend = timing_backend

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        self.authorize()
        pcm, rate = self.client.speech(text=text, voice_id=self.voice_id)
        if pcm.size == 0 or not np.isfinite(pcm).all():
            raise CloneServerError("clone_bad_audio", "the voice clone server answered no usable audio")
        span = loud_span(pcm, rate)
        if span is None:
            raise CloneServerError("clone_silent_audio", "the voice clone server answered silence")
        self.verify(pcm, rate)
        if speed != 1.0:
            from render.engine.speech.audio import resample

            # The OpenAI protocol's `speed` is not honoured by every server: change the rate here, pitch and all
            # (the stream's pitch correction then applies on top, as for every backend).
            pcm = resample(pcm, round(rate * speed), rate)
            span = loud_span(pcm, rate) or (0, len(pcm))
        return Speech(
            pcm=np.ascontiguousarray(pcm, dtype=np.float32),
            sample_rate=rate,
            phonemes=_stretched_phonemes(text, language, span, len(pcm), rate, self.timing_backend),
            language=language,
            backend=self.name,
            voice=self.voice_id,
            text=text,
        )


def _stretched_phonemes(
    text: str, language: str, span: tuple[int, int], total: int, rate: int, timing_backend: str
) -> tuple[TimedUnit, ...]:
    """The timing backend's phonemes for `text`, their speech part stretched linearly onto `span` of the audio."""
    from render.engine.speech.backends import get_backend

    guide = get_backend(timing_backend).synthesize(text, language=language, voice=None, speed=1.0)
    units = list(guide.phonemes)
    spoken = [unit for unit in units if unit.symbol != "sil"]
    if not spoken:
        return units_from_boundaries([], [], total, rate)
    first, last = spoken[0].start_s, spoken[-1].end_s
    scale = (span[1] - span[0]) / max(last - first, 1e-6) / rate
    symbols = [unit.symbol for unit in units if first <= unit.start_s < last]
    starts = [span[0] + round((unit.start_s - first) * scale * rate) for unit in units if first <= unit.start_s < last]
    symbols.append("sil")
    starts.append(span[1])
    return units_from_boundaries(symbols, starts, total, rate)
