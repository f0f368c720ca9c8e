"""Speaker embeddings with resemblyzer (GE2E, 256-D, weights inside the wheel) and statement-vs-sample matching.

Audio comes out of the uploaded video with PyAV, resampled to 16 kHz mono float32 (resemblyzer's rate). resemblyzer
then normalises the volume and trims silences with WebRTC VAD (`webrtcvad-wheels`) before embedding.

Threshold, honestly: the only voices available offline are synthetic. With espeak-ng, the same voice reading
different texts scores ~0.9, an en-us male against the en-us+f3 female variant ~0.7 and piper-vs-espeak ~0.5
(offline-models.md and tests/consent/biometrics/test_voices_are_compared_by_speaker_embedding.py). 0.80 separates
these, but real human voices lie closer together than formant synthesisers: recalibrate on real consent recordings
before relying on it, and keep a human review (`pending_review`) for scores near the line.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from consent.biometrics.errors import MediaRejected
from consent.biometrics.media import VideoSource, open_container

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000
VOICE_MATCH_THRESHOLD = 0.80
# resemblyzer needs about 1.6 s of speech for one partial window; ask for a little more after silence trimming.
MIN_SPEECH_SECONDS = 1.0


@dataclass(frozen=True)
class VoiceMatch:
    similarity: float
    threshold: float
    decision: Literal["match", "no_match"]

    @property
    def is_match(self) -> bool:
        return self.decision == "match"


@functools.cache
def _resemblyzer() -> Any:
    # resemblyzer 0.1.4 imports scipy.ndimage.morphology, deprecated in SciPy 1.x: silence that one warning only.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*scipy.ndimage.morphology.*")
        import resemblyzer
    return resemblyzer


@functools.cache
def _encoder() -> Any:
    """Load the GE2E encoder once per process (torch import plus 0.6 s)."""
    return _resemblyzer().VoiceEncoder("cpu", verbose=False)


def extract_audio(video: VideoSource) -> np.ndarray:
    """The first audio stream as 16 kHz mono float32 in [-1, 1]. Raises MediaRejected("no_audio") if none."""
    import av
    import numpy as np

    container = open_container(video)
    try:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise MediaRejected("no_audio", "the video has no sound track")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        parts: list[np.ndarray] = []
        try:
            for frame in container.decode(stream):
                parts.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
            parts.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
        except av.error.FFmpegError as exc:
            raise MediaRejected("undecodable", f"the sound track could not be decoded ({type(exc).__name__})") from None
    finally:
        container.close()
    if not parts:
        raise MediaRejected("no_audio", "the sound track is empty")
    return np.concatenate(parts).astype(np.float32)


def voice_embedding(audio: np.ndarray, *, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """A 256-D L2-normalised speaker embedding. Raises MediaRejected("no_speech") if too little speech remains."""
    import numpy as np

    samples = np.asarray(audio, dtype=np.float32)
    # resemblyzer's volume normalisation divides by the RMS: digital silence would turn into NaNs.
    if samples.size == 0 or not np.isfinite(samples).all() or float(np.abs(samples).max()) < 1e-4:
        raise MediaRejected("no_speech", "the sound track is silent")
    wav = _resemblyzer().preprocess_wav(samples, source_sr=sample_rate)
    if len(wav) < MIN_SPEECH_SECONDS * SAMPLE_RATE:
        raise MediaRejected("no_speech", "the recording holds too little speech to recognise a voice")
    return np.asarray(_encoder().embed_utterance(wav), dtype=np.float32)


def video_voice_embedding(video: VideoSource) -> np.ndarray:
    return voice_embedding(extract_audio(video))


def compare_voices(a: np.ndarray, b: np.ndarray, *, threshold: float = VOICE_MATCH_THRESHOLD) -> VoiceMatch:
    """Cosine similarity of two speaker embeddings; a match when it is at least `threshold`."""
    import numpy as np

    va, vb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norm = float(np.linalg.norm(va) * np.linalg.norm(vb))
    if va.shape != vb.shape or norm == 0.0:
        raise ValueError("speaker embeddings must be non-zero vectors of the same size")
    similarity = float(va @ vb) / norm
    return VoiceMatch(
        similarity=similarity, threshold=threshold, decision="match" if similarity >= threshold else "no_match"
    )
