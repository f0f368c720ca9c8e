"""What a render worker process keeps between tasks, and how engine refusals become stable codes.

One worker process renders many jobs: the C2PA signer and the most recently used avatar's assets load once
(`forget_cached_assets` drops them, for tests and after a shred). `renderer_for(job)` builds the engine's
StreamRenderer for a job from its stored settings; `engine_error` maps the engine's refusals to RenderFailed.
Heavy libraries (PyAV, torch, onnxruntime, c2pa) are imported inside the functions that run on render workers.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings

from common.api import DomainError
from consent import vault
from render.errors import ConsentRefused, RenderFailed
from render.models import Avatar, RenderJob


def onnx_model_path() -> str:
    return str(getattr(settings, "RENDER_ONNX_MODEL_PATH", "") or "")


# One worker process renders many jobs: engine models, the C2PA signer and recently used avatars load once.
_cache_lock = threading.Lock()
_signers: dict[tuple[str, str, str], Any] = {}
_assets: dict[int, Any] = {}


def signer() -> Any:
    from render.engine.c2pa_sign import SegmentSigner, SigningError

    key = (
        str(settings.C2PA_CERT_CHAIN_PATH),
        str(settings.C2PA_SIGNING_KEY_PATH),
        str(settings.C2PA_TRUST_ANCHOR_PATH),
    )
    with _cache_lock:
        if key not in _signers:
            try:
                _signers[key] = SegmentSigner(chain_path=key[0], key_path=key[1], trust_anchor_path=key[2])
            except SigningError as exc:
                raise RenderFailed("signing_credentials_invalid", str(exc)) from None
        return _signers[key]


def watermark_key() -> bytes:
    from render.engine.watermark import WatermarkError, load_key
    from render.keys import watermark_key_path

    path = watermark_key_path()
    if not path.exists():
        raise RenderFailed(
            "watermark_key_missing",
            f"the watermark key file {path} does not exist; set VERACAST_WATERMARK_KEY_FILE or run "
            "`python manage.py init_keys`",
        )
    try:
        return load_key(path)
    except WatermarkError as exc:
        raise RenderFailed("watermark_key_invalid", str(exc)) from None


def avatar_assets(avatar: Avatar) -> Any:
    from render.engine.avatar import AvatarAssets, AvatarFormatError

    if avatar.assets is None:
        raise RenderFailed("avatar_not_ready", "the avatar has no stored assets")
    with _cache_lock:
        cached = _assets.get(avatar.assets_id)  # type: ignore[arg-type]
    if cached is not None:
        return cached
    try:
        data = vault.open_object(avatar.assets).read()
        assets = AvatarAssets.from_bytes(data)
    except AvatarFormatError as exc:
        raise RenderFailed("avatar_assets_invalid", str(exc)) from None
    except DomainError as exc:  # a shredded data key, or no vault master key on this worker
        raise RenderFailed(exc.code, str(exc.detail)) from None
    with _cache_lock:
        _assets.clear()  # keep one avatar per worker: they are large
        _assets[avatar.assets_id] = assets  # type: ignore[index]
    return assets


def forget_cached_assets() -> None:
    with _cache_lock:
        _assets.clear()
        _signers.clear()


def device() -> str:
    wanted = str(getattr(settings, "RENDER_DEVICE", "auto") or "auto")
    if wanted != "auto":
        return wanted
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def renderer_for(job: RenderJob) -> Any:
    from render.engine.c2pa_sign import ConsentReference
    from render.engine.stream import StreamConfig, StreamRenderer
    from render.voices import stream_voice_settings

    grant = job.grant
    if grant is None:
        raise RenderFailed("no_consent", "the job has no consent grant")
    s = job.settings
    config = StreamConfig(
        width=int(s["width"]),
        height=int(s["height"]),
        fps=int(s["fps"]),
        label_languages=str(s.get("label_languages", "zh+en")),
        disclosure_languages=str(s.get("disclosure_languages", "zh+en")),
        rhythm_label=bool(s.get("rhythm_label", False)),
        engine=str(s.get("engine", "viseme-warp")),
        onnx_model_path=onnx_model_path() or None,
        device=device(),
        **stream_voice_settings(
            s, avatar=job.avatar, purpose=job.purpose, platform=job.platform, render_id=str(job.public_id)
        ),
    )
    key = watermark_key()
    return StreamRenderer(
        avatar=avatar_assets(job.avatar),
        config=config,
        stream_id=job.stream_id,
        consent=ConsentReference(grant_id=str(grant.public_id), document_sha256=grant.scope_sha256),
        signer=signer(),
        watermark_key=key,
        content_producer=str(getattr(settings, "RENDER_CONTENT_PRODUCER", "Veracast")),
    )


def engine_error(exc: Exception) -> RenderFailed | None:
    """Map the engine's refusals to stable codes (None: not an input problem, let it raise)."""
    from render.engine.avatar.choreography import ScriptIntentError
    from render.engine.c2pa_sign import SigningError
    from render.engine.lipsync.onnx_engine import OnnxModelMismatch
    from render.engine.sample_decoder import SampleError
    from render.engine.speech.types import SpeechError, UnspeakableText, VoiceConsentRequired
    from render.engine.stream import StreamConfigError
    from render.engine.watermark import WatermarkError

    if isinstance(exc, RenderFailed):
        return exc
    if isinstance(exc, ConsentRefused):  # the voice clone asks the gate for the voice modality on its own
        return RenderFailed(exc.reason, str(exc.detail))
    if isinstance(exc, SampleError):
        return RenderFailed(exc.code, exc.message)
    if isinstance(exc, UnspeakableText):
        return RenderFailed(f"unspeakable_{getattr(exc, 'reason', 'text')}", str(exc))
    if isinstance(exc, ScriptIntentError):
        return RenderFailed(exc.code, exc.message)
    if isinstance(exc, StreamConfigError):
        return RenderFailed(exc.code, exc.message)
    if isinstance(exc, OnnxModelMismatch):
        return RenderFailed("onnx_model_invalid", str(exc))
    if isinstance(exc, FileNotFoundError) and "ONNX" in str(exc):
        return RenderFailed("onnx_model_missing", str(exc))
    if isinstance(exc, SigningError):
        return RenderFailed("signing_failed", str(exc))
    if isinstance(exc, WatermarkError):
        return RenderFailed("watermark_failed", str(exc))
    if isinstance(exc, VoiceConsentRequired):
        return RenderFailed("voice_consent_refused", str(exc))
    if isinstance(exc, SpeechError) and isinstance(getattr(exc, "code", None), str):
        # The clone server's failures and the speaker check (clone_server_down, clone_voice_mismatch, ...).
        return RenderFailed(exc.code, str(exc))  # type: ignore[attr-defined]
    if isinstance(exc, SpeechError):
        return RenderFailed("speech_failed", str(exc))
    return None
