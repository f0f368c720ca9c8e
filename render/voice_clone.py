"""The influencer's own voice through the configured clone server, only for a use the consent covers.

- `clone_backend_for(avatar, purpose=, platform=, name=)`: asks the gate (voice modality, this brand, platform and
  purpose) *before* the reference leaves the vault; uploads the consented sample's sound track once per avatar and
  server (`CloneVoice`, ledgered `voice_clone.reference_sent`); returns the engine's CloneBackend whose `authorize`
  asks the gate again before every utterance and whose `verify` compares each utterance's speaker embedding with the
  consented sample's (consent.biometrics.voice: the same resemblyzer code the statement check uses). An utterance
  below the threshold never airs: the render fails with `clone_voice_mismatch` (the stream's labeled slate/refusal).
- `delete_clone_voices_after_revocation`: the revocation hook; every active clone voice of the influencer that the
  gate now refuses is deleted on the server (DELETE) and the deletion or its failure is ledgered.

The server's URL, model and key are typed settings (VERACAST_VOICE_CLONE_*); the URL is checked against SSRF at use.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from common.api import DomainError
from consent import vault
from consent.broadcast import Revocation
from render.engine.speech.types import SpeechError
from render.errors import ConsentRefused, RenderFailed
from render.gating import gate_use
from render.models import Avatar, CloneVoice

logger = logging.getLogger(__name__)

CLONE_BACKEND = "clone"  # what a job's settings name; the engine sees a per-render name, `clone:<id>`
VOICE_MODALITY = ["voice"]


def clone_configured() -> bool:
    return bool(getattr(settings, "VOICE_CLONE_URL", ""))


def clone_server() -> Any:
    """The engine's CloneServer from settings, or RenderFailed (not configured / SSRF-refused URL)."""
    from render.engine.speech.clone_backend import CloneServer

    url = str(getattr(settings, "VOICE_CLONE_URL", "") or "")
    if not url:
        raise RenderFailed("clone_server_not_configured", "No voice clone server is configured.")
    return CloneServer(
        base_url=check_server_url(url, allow_private_hosts=bool(getattr(settings, "VOICE_CLONE_ALLOW_PRIVATE", False))),
        model=str(settings.VOICE_CLONE_MODEL),
        api_key=str(getattr(settings, "VOICE_CLONE_API_KEY", "") or ""),
        timeout_s=float(getattr(settings, "VOICE_CLONE_TIMEOUT_S", 30)),
    )


def check_server_url(url: str, *, allow_private_hosts: bool) -> str:
    """`url` if http(s) with a host and no credentials; private, loopback and link-local IP literals and
    `localhost` are refused unless allowed (the same rule as the RTMP URL check: a name resolving to such an address
    must be refused by the network policy, resolving here would check another moment than the connection)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  # raises ValueError for a port outside 0-65535
    except ValueError:
        raise RenderFailed("clone_server_url_invalid", "The voice clone server URL is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise RenderFailed("clone_server_url_invalid", "The voice clone server URL must be http(s)://host[:port].")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise RenderFailed(
            "clone_server_url_invalid", "The voice clone server URL carries credentials, a query or a fragment."
        )
    if not allow_private_hosts:
        private = host.lower() == "localhost" or host.lower().endswith(".localhost")
        with contextlib.suppress(ValueError):  # a name, not an IP literal
            private = private or not ipaddress.ip_address(host).is_global
        if private:
            raise RenderFailed(
                "clone_server_private_host", "The voice clone server is on a private, loopback or link-local host."
            )
    return url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _gate_voice(avatar: Avatar, *, purpose: str, platform: str, use: str) -> None:
    gate_use(subject=avatar, brand=avatar.brand, purpose=purpose, platform=platform, modalities=VOICE_MODALITY, use=use)


def _reference_audio(avatar: Avatar) -> Any:
    """The consented sample's sound track, 16 kHz mono float32, decrypted in memory only."""
    from consent.biometrics.errors import MediaRejected
    from consent.biometrics.voice import extract_audio

    if avatar.sample is None:
        raise RenderFailed("no_sample", "The avatar has no consented sample to take the voice from.")
    try:
        return extract_audio(vault.open_object(avatar.sample))
    except MediaRejected as exc:
        raise RenderFailed(f"clone_reference_{exc.code}", str(exc)) from None
    except DomainError as exc:  # a shredded key, no master key on this worker
        raise RenderFailed(str(exc.code), str(exc.detail)) from None


def ensure_clone_voice(*, avatar: Avatar, purpose: str, platform: str, reference: Any = None) -> CloneVoice:
    """The avatar's active voice on the configured server; uploads the reference (after the gate) if there is none."""
    from render.engine.speech.clone_backend import CloneClient, CloneServerError, encode_wav

    if not avatar.voice:
        raise RenderFailed("clone_needs_voice_avatar", "The avatar was made without voice consent.")
    server = clone_server()
    origin = _origin(server.base_url)
    _gate_voice(avatar, purpose=purpose, platform=platform, use="voice_clone_upload")
    existing = CloneVoice.objects.filter(
        avatar=avatar, server_url=origin, purpose=purpose, platform=platform, status=CloneVoice.Status.ACTIVE
    ).first()
    if existing is not None:
        return existing
    from consent.biometrics.voice import SAMPLE_RATE

    wav = encode_wav(_reference_audio(avatar) if reference is None else reference, SAMPLE_RATE)
    digest = hashlib.sha256(wav).hexdigest()
    payload = {
        "server": origin,
        "reference_sha256": digest,
        "bytes": len(wav),
        "purpose": purpose,
        "platform": platform,
        "consent_grant_id": str(avatar.grant.public_id) if avatar.grant else None,
    }
    try:
        voice_id = CloneClient(server).upload_reference(name=f"veracast-{avatar.public_id}", wav=wav)
    except CloneServerError as exc:
        with transaction.atomic():
            # The bytes may have left even though the server failed: the attempt is a transfer too.
            record_event(
                kind="voice_clone.reference_send_failed",
                subject=avatar.subject,
                payload={**payload, "reason": exc.code},
                actor="system",
                organisation=avatar.brand,
            )
        raise RenderFailed(exc.code, exc.message) from None
    with transaction.atomic():
        voice = CloneVoice.objects.create(
            avatar=avatar,
            server_url=origin,
            server_voice_id=voice_id,
            reference_sha256=digest,
            purpose=purpose,
            platform=platform,
        )
        record_event(
            kind="voice_clone.reference_sent",
            subject=avatar.subject,
            payload={**payload, "clone_voice": str(voice.public_id), "server_voice_id": voice_id},
            actor="system",
            organisation=avatar.brand,
        )
    return voice


class _Verifier:
    """Compare each utterance with the consented voice; ledger the first pass and every failure."""

    def __init__(self, avatar: Avatar, reference: Any) -> None:
        from consent.biometrics.voice import voice_embedding

        self.avatar = avatar
        self.reference = voice_embedding(reference)
        self.verified = False

    def __call__(self, pcm: Any, sample_rate: int) -> None:
        from consent.biometrics.errors import MediaRejected
        from consent.biometrics.voice import SAMPLE_RATE, compare_voices, voice_embedding
        from render.engine.speech.audio import resample

        try:
            embedding = voice_embedding(resample(pcm, sample_rate, SAMPLE_RATE))
        except MediaRejected:
            if self.verified:
                return  # too short to recognise a voice; the voice was checked on a longer line already
            raise CloneVoiceRejected(
                "clone_voice_unverified", "The cloned voice could not be checked (too little speech)."
            ) from None
        match = compare_voices(self.reference, embedding)
        if match.is_match and self.verified:
            return
        payload = {"similarity": round(match.similarity, 4), "threshold": match.threshold}
        with transaction.atomic():
            if match.is_match:
                record_event(
                    kind="voice_clone.verified",
                    subject=self.avatar.subject,
                    payload=payload,
                    actor="system",
                    organisation=self.avatar.brand,
                )
            else:
                record_event(
                    kind="voice_clone.verification_failed",
                    subject=self.avatar.subject,
                    payload=payload,
                    actor="system",
                    organisation=self.avatar.brand,
                )
        if not match.is_match:
            raise CloneVoiceRejected(
                "clone_voice_mismatch",
                f"The cloned speech does not sound like the influencer (similarity {match.similarity:.2f}, "
                f"needs {match.threshold:.2f}); it was not aired.",
            )
        self.verified = True


class CloneVoiceRejected(SpeechError):  # noqa: N818 - a refusal, named like the speech package's
    """Cloned audio that failed the speaker check or could not be checked; `code` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def clone_backend_for(*, avatar: Avatar, purpose: str, platform: str, name: str) -> Any:
    """A CloneBackend for one render, registered under `name` (the caller puts `name` in the StreamConfig)."""
    from render.engine.speech.backends import register_backend
    from render.engine.speech.clone_backend import CloneBackend, CloneClient
    from render.engine.speech.types import VoiceConsentRequired

    reference = _reference_audio(avatar) if avatar.voice else None
    voice = ensure_clone_voice(avatar=avatar, purpose=purpose, platform=platform, reference=reference)

    def authorize() -> None:
        try:
            _gate_voice(avatar, purpose=purpose, platform=platform, use="voice_clone_utterance")
        except ConsentRefused as refused:
            raise VoiceConsentRequired(str(refused.detail)) from None

    backend = CloneBackend(
        name=name,
        client=CloneClient(clone_server()),
        voice_id=voice.server_voice_id,
        authorize=authorize,
        verify=_Verifier(avatar, reference),
    )
    register_backend(backend, replace=True)
    return backend


def delete_clone_voice(voice: CloneVoice, *, reason: str) -> CloneVoice:
    """Delete `voice` on its server and ledger the outcome (`voice_clone.voice_deleted` / `_delete_failed`)."""
    from render.engine.speech.clone_backend import CloneClient, CloneServerError

    outcome, error = "", ""
    try:
        server = clone_server()
        if _origin(server.base_url) != voice.server_url:
            raise RenderFailed("clone_server_changed", f"The configured clone server is no longer {voice.server_url}.")
        outcome = CloneClient(server).delete_voice(voice.server_voice_id)
    except CloneServerError as exc:
        error = exc.code
    except RenderFailed as exc:
        error = exc.code
    avatar = voice.avatar
    with transaction.atomic():
        CloneVoice.objects.filter(pk=voice.pk).update(
            status=CloneVoice.Status.DELETE_FAILED if error else CloneVoice.Status.DELETED,
            error=error,
            deleted_at=None if error else timezone.now(),
        )
        facts = {
            "clone_voice": str(voice.public_id),
            "server": voice.server_url,
            "server_voice_id": voice.server_voice_id,
            "reason": reason,
        }
        if error:
            record_event(
                kind="voice_clone.voice_delete_failed",
                subject=avatar.subject,
                payload={**facts, "error": error},
                actor="system",
                organisation=avatar.brand,
            )
        else:
            record_event(
                kind="voice_clone.voice_deleted",
                subject=avatar.subject,
                payload={**facts, "outcome": outcome},
                actor="system",
                organisation=avatar.brand,
            )
    voice.refresh_from_db()
    return voice


def delete_clone_voices_after_revocation(event: Revocation) -> None:
    """Revocation hook: the influencer's clone voices whose use the gate now refuses are deleted on the server."""
    voices = CloneVoice.objects.filter(
        avatar__influencer_id=event.influencer_id, status=CloneVoice.Status.ACTIVE
    ).select_related("avatar", "avatar__brand")
    for voice in voices:
        avatar = voice.avatar
        try:
            _gate_voice(avatar, purpose=voice.purpose, platform=voice.platform, use="voice_clone_revocation_check")
        except ConsentRefused:
            delete_clone_voice(voice, reason=event.reason)
