"""Identity checks on uploaded videos, on top of the pure libraries in consent.biometrics.

Every function here works on in-memory file objects: uploads are read into memory (with a per-view size limit) and
vault objects are decrypted into memory, so biometric plaintext never reaches the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from consent.biometrics.errors import BiometricError, MediaRejected

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValidatedVideo:
    info: Any  # consent.biometrics.media.VideoInfo
    faces: Any  # consent.biometrics.face.FaceTrackSummary

    def media_info(self) -> dict[str, Any]:
        return {
            "container": self.info.container,
            "codec": self.info.codec,
            "duration": round(float(self.info.duration), 3),
            "width": self.info.width,
            "height": self.info.height,
            "has_audio": bool(self.info.has_audio),
            "frames_sampled": self.faces.frames_sampled,
            "frames_with_one_face": self.faces.frames_with_one_face,
        }


def validate_video(
    source: BinaryIO, *, kind: str, on_video_frame: Callable[[float, Any], None] | None = None
) -> ValidatedVideo:
    """Container, codec, duration, resolution, every packet decoded (nothing around the container), then one face in
    most frames. Raises MediaRejected(code, message). `on_video_frame(t, frame)` sees every decoded frame once."""
    from consent.biometrics import face, media

    source.seek(0)
    try:
        info = media.probe_video(source)
    except MediaRejected:
        raise
    except Exception as exc:
        # PyAV raises many error types for garbage input; to the client they all mean "not a video we can read".
        raise MediaRejected("undecodable", f"the file is not a decodable video ({type(exc).__name__})") from None
    if kind == "sample":
        media.validate_sample(info)
    else:
        media.validate_statement(info)
    # The cheap checks passed: now decode everything, so a damaged stream or data hidden around it is refused
    # before anything is stored (a sampled probe would miss a bit flip between its samples).
    # The face check's frames are picked in the same pass.
    sampler = media.FrameSampler(info, count=face.DEFAULT_SAMPLED_FRAMES)

    def each_frame(t: float, frame: Any) -> None:
        sampler.add(t, frame)
        if on_video_frame is not None:
            on_video_frame(t, frame)

    media.decode_fully(source, on_video_frame=each_frame)
    summary = face.summarise_frames(sampler.picked)
    media.validate_face_presence(summary)
    source.seek(0)
    return ValidatedVideo(info=info, faces=summary)


@dataclass(frozen=True)
class Comparison:
    score: float | None
    decision: str  # ConsentGrant.Check values: pass, fail, unavailable
    detail: dict[str, Any]


def compare_face(statement: ValidatedVideo, sample_source: BinaryIO | None) -> Comparison:
    """Statement face against the training sample's face (median embedding distance; lower is closer)."""
    if sample_source is None:
        return Comparison(None, "unavailable", {"why": "no training sample on file"})
    from consent.biometrics import face

    try:
        sample_summary = face.face_track_summary(sample_source)
        match = face.compare_faces(statement.faces.embeddings, sample_summary.embeddings)
    except BiometricError as exc:
        return Comparison(None, "unavailable", {"why": exc.code})
    return Comparison(
        score=round(match.distance_median, 4),
        decision="pass" if match.is_match else "fail",
        detail={"threshold": match.threshold, "frames_used": match.frames_used, "p90": round(match.distance_p90, 4)},
    )


def compare_voice(statement_source: BinaryIO, sample_source: BinaryIO | None) -> Comparison:
    """Statement voice against the training sample's voice (speaker-embedding similarity; higher is closer)."""
    if sample_source is None:
        return Comparison(None, "unavailable", {"why": "no training sample on file"})
    from consent.biometrics import voice

    try:
        statement_source.seek(0)
        sample_source.seek(0)
        match = voice.compare_voices(
            voice.video_voice_embedding(statement_source), voice.video_voice_embedding(sample_source)
        )
    except BiometricError as exc:
        return Comparison(None, "unavailable", {"why": exc.code})
    return Comparison(
        score=round(match.similarity, 4),
        decision="pass" if match.decision == "match" else "fail",
        detail={"threshold": match.threshold},
    )
