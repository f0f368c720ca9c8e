"""The auditor bundle writer: one zip, streamed to disk, that `verify.py` inside it checks offline.

Memory stays bounded whatever the range: events are read in keyset pages and written as they come, inclusion proofs
are computed from one checkpoint's Merkle tree at a time (a checkpoint covers one checkpoint interval of the whole
ledger, not the export), and every other table is iterated in chunks. Layout and formats: docs/audit-bundle.md; the
rules the verifier applies: audit/bundle_verify.py, which is copied into the bundle as verify.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.apps import apps
from django.conf import settings
from django.db.models import Q

from audit import bundle_sections, bundle_verify
from audit.keys import SigningKey, load_public_keys
from audit.models import Checkpoint, LedgerEvent
from audit.verify import event_hash_input, format_timestamp

FORMAT = bundle_verify.FORMAT
_PAGE = 5_000
_README = Path(__file__).with_name("bundle_readme.md")


class BundleError(RuntimeError):
    """The bundle cannot be written as asked (a key is missing, a file is unsafe to include); the message says why."""


@dataclass(frozen=True)
class BundleScope:
    """What goes into a bundle. Events are the organisation's (what its auditors may read), narrowed to `subjects`
    when given; render jobs, segments and consent grants are the organisation's, narrowed to `render_job_ids` and
    `grant_ids` when given."""

    organisation_id: int
    description: dict[str, Any]
    subjects: tuple[str, ...] | None = None
    render_job_ids: tuple[int, ...] | None = None
    grant_ids: tuple[int, ...] | None = None
    since: datetime | None = None
    until: datetime | None = None
    include_media: bool = False


@dataclass
class BundleResult:
    path: Path
    sha256: str
    size: int
    events: int
    checkpoints: int
    files: int
    key_id: str


@dataclass
class _Entry:
    sha256: str
    size: int


@dataclass
class _Writer:
    """The zip being written and the hash and size of every file in it (for MANIFEST.json)."""

    archive: zipfile.ZipFile
    entries: dict[str, _Entry] = field(default_factory=dict)

    def open(self, name: str) -> _HashingFile:
        if name in self.entries or name in (bundle_verify.MANIFEST, bundle_verify.SIGNATURE):
            raise BundleError(f"{name} would be written twice.")
        return _HashingFile(self, name, self.archive.open(name, "w", force_zip64=True))

    def write(self, name: str, data: bytes) -> None:
        with self.open(name) as handle:
            handle.write(data)


class _HashingFile:
    def __init__(self, writer: _Writer, name: str, raw: IO[bytes]) -> None:
        self.writer, self.name, self.raw = writer, name, raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.raw.write(data)

    def __enter__(self) -> _HashingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()
        self.writer.entries[self.name] = _Entry(self.digest.hexdigest(), self.size)


def _json_line(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def _stamp(value: datetime | None) -> str | None:
    return format_timestamp(value) if value is not None else None


# ---------------------------------------------------------------------------------------------------------------------
# Events and proofs
# ---------------------------------------------------------------------------------------------------------------------


class _Tree:
    """One checkpoint's Merkle tree, level by level as packed 32-byte nodes (64 bytes per leaf in all)."""

    def __init__(self, checkpoint: Checkpoint) -> None:
        self.checkpoint = checkpoint
        leaves = bytearray()
        self.index: dict[int, int] = {}
        hashes = (
            LedgerEvent.objects.filter(id__gte=checkpoint.first_event_id, id__lte=checkpoint.last_event_id)
            .order_by("id")
            .values_list("id", "hash")
        )
        sha256 = hashlib.sha256
        for position, (event_id, event_hash) in enumerate(hashes.iterator(chunk_size=_PAGE)):
            self.index[event_id] = position
            leaves += sha256(b"\x00" + bytes.fromhex(event_hash)).digest()
        self.levels = [bytes(leaves)]
        while len(self.levels[-1]) > 32:
            level = self.levels[-1]
            width = len(level) // 32
            nxt = bytearray()
            for i in range(0, width - 1, 2):
                nxt += sha256(b"\x01" + level[i * 32 : i * 32 + 64]).digest()
            if width % 2:
                nxt += level[-32:]
            self.levels.append(bytes(nxt))
        if self.levels[0] and self.levels[-1].hex() != checkpoint.merkle_root:
            raise BundleError(f"Checkpoint {checkpoint.pk}'s Merkle root does not match the stored events.")

    def proof(self, event_id: int) -> dict[str, Any]:
        position = self.index[event_id]
        index = position
        path = []
        for level in self.levels[:-1]:
            sibling = position ^ 1
            if sibling * 32 < len(level):
                path.append(level[sibling * 32 : sibling * 32 + 32].hex())
            position //= 2
        return {"checkpoint": self.checkpoint.pk, "event": event_id, "index": index, "path": path}


def _event_filter(scope: BundleScope, last_checkpointed: int) -> Q:
    condition = Q(organisation_id=scope.organisation_id, id__lte=last_checkpointed)
    if scope.subjects is not None:
        condition &= Q(subject__in=scope.subjects)
    if scope.since is not None:
        condition &= Q(recorded_at__gte=scope.since)
    if scope.until is not None:
        condition &= Q(recorded_at__lt=scope.until)
    return condition


def count_events(scope: BundleScope) -> int:
    last = Checkpoint.objects.order_by("-id").values_list("last_event_id", flat=True).first() or 0
    return LedgerEvent.objects.filter(_event_filter(scope, last)).count()


def _iter_events(scope: BundleScope, last_checkpointed: int) -> Iterator[tuple[Any, ...]]:
    """Keyset pages of the events in scope, ascending id: never more than one page in memory."""
    condition = _event_filter(scope, last_checkpointed)
    after = 0
    columns = ("id", "subject", "seq", "kind", "actor", "payload", "prev_hash", "hash", "recorded_at")
    while True:
        page = list(LedgerEvent.objects.filter(condition, id__gt=after).order_by("id").values_list(*columns)[:_PAGE])
        if not page:
            return
        yield from page
        after = page[-1][0]


def _write_events(
    writer: _Writer, scope: BundleScope, total: int, progress: Callable[[float], None]
) -> tuple[int, set[int]]:
    """events.jsonl and proofs.jsonl in one pass. Returns the event count and the ids of the checkpoints used."""
    last_checkpointed = Checkpoint.objects.order_by("-id").values_list("last_event_id", flat=True).first() or 0
    heads: dict[str, int] = {}
    tree: _Tree | None = None
    used: set[int] = set()
    count = 0
    # A zip takes one open member at a time: proofs go to a scratch file on disk and are copied in after the events.
    with tempfile.TemporaryFile() as proofs:
        with writer.open(bundle_verify.EVENTS) as events:
            for event_id, subject, seq, kind, actor, payload, prev_hash, event_hash, recorded_at in _iter_events(
                scope, last_checkpointed
            ):
                expected = heads.get(subject, 0) + 1
                if seq > expected:
                    # Part of this chain lies outside the scope (before the range, or another organisation's events):
                    # say so, so that the verifier can tell a stated gap from a removed event.
                    events.write(_json_line({"elided": {"from_seq": expected, "subject": subject, "to_seq": seq - 1}}))
                heads[subject] = seq
                envelope = event_hash_input(
                    subject=subject,
                    seq=seq,
                    kind=kind,
                    actor=actor,
                    payload_json=payload,
                    prev_hash=prev_hash,
                    recorded_at=format_timestamp(recorded_at),
                )
                events.write(
                    b'{"envelope":' + envelope + b',"hash":"' + event_hash.encode() + b'","id":%d}\n' % event_id
                )
                if tree is None or event_id > tree.checkpoint.last_event_id:
                    checkpoint = Checkpoint.objects.filter(
                        first_event_id__lte=event_id, last_event_id__gte=event_id
                    ).first()
                    if checkpoint is None:
                        raise BundleError(f"Event {event_id} is not covered by a checkpoint.")
                    tree = _Tree(checkpoint)
                    used.add(checkpoint.pk)
                proofs.write(_json_line(tree.proof(event_id)))
                count += 1
                if count % _PAGE == 0:
                    progress(0.05 + 0.8 * min(1.0, count / max(total, 1)))
        proofs.seek(0)
        with writer.open(bundle_verify.PROOFS) as target:
            while chunk := proofs.read(1 << 20):
                target.write(chunk)
    return count, used


def _write_checkpoints(writer: _Writer, used: set[int]) -> tuple[int, set[str]]:
    """The contiguous run of checkpoints from the first to the last one used, so that their chain can be checked."""
    key_ids: set[str] = set()
    count = 0
    with writer.open(bundle_verify.CHECKPOINTS) as out:
        if used:
            rows = Checkpoint.objects.filter(id__gte=min(used), id__lte=max(used)).order_by("id")
            for checkpoint in rows.iterator(chunk_size=_PAGE):
                key_ids.add(checkpoint.key_id)
                out.write(
                    _json_line(
                        {
                            "created_at": format_timestamp(checkpoint.created_at),
                            "event_count": checkpoint.event_count,
                            "first_event_id": checkpoint.first_event_id,
                            "hash": checkpoint.hash,
                            "id": checkpoint.pk,
                            "key_id": checkpoint.key_id,
                            "last_event_id": checkpoint.last_event_id,
                            "merkle_root": checkpoint.merkle_root,
                            "prev_checkpoint_hash": checkpoint.prev_checkpoint_hash,
                            "signature": checkpoint.signature,
                        }
                    )
                )
                count += 1
    return count, key_ids


def _write_keys(writer: _Writer, key_ids: set[str]) -> None:
    available = load_public_keys()
    for key_id in sorted(key_ids):
        raw = available.get(key_id)
        if raw is None:
            raise BundleError(f"The public key {key_id} is not in {settings.LEDGER_PUBLIC_KEYS_DIR}.")
        pem = Ed25519PublicKey.from_public_bytes(raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        writer.write(f"keys/{key_id}.pem", pem)


def _write_certificates(writer: _Writer) -> list[str]:
    """The C2PA certificate chain segments are signed with, and its trust anchor: public certificates only."""
    written = []
    for setting, name in (("C2PA_CERT_CHAIN_PATH", "c2pa-chain.pem"), ("C2PA_TRUST_ANCHOR_PATH", "c2pa-root.pem")):
        configured = getattr(settings, setting, None)
        if not configured or not Path(configured).is_file():
            continue
        data = Path(configured).read_bytes()
        if b"PRIVATE KEY" in data:
            raise BundleError(f"{configured} holds a private key; only public certificates go into a bundle.")
        writer.write(f"certificates/{name}", data)
        written.append(f"certificates/{name}")
    return written


# ---------------------------------------------------------------------------------------------------------------------
# Render jobs, segments, consent, scripts
# ---------------------------------------------------------------------------------------------------------------------


def _in_range(scope: BundleScope, field_name: str) -> Q:
    condition = Q()
    if scope.since is not None:
        condition &= Q(**{f"{field_name}__gte": scope.since})
    if scope.until is not None:
        condition &= Q(**{f"{field_name}__lt": scope.until})
    return condition


def _segments_of(job_id: int, scope: BundleScope) -> Iterator[Any]:
    from render.models import Segment

    rows = Segment.objects.filter(Q(job_id=job_id) & _in_range(scope, "created_at")).select_related("job")
    return rows.order_by("sequence").iterator(chunk_size=_PAGE)


def _write_render(writer: _Writer, scope: BundleScope) -> tuple[set[int], int]:
    """render_jobs.jsonl, segments.jsonl (and media/ when asked). Returns the consent grants the jobs used."""
    grant_ids: set[int] = set()
    if not apps.is_installed("render"):
        return grant_ids, 0
    from render.models import RenderJob

    jobs = RenderJob.objects.filter(brand_id=scope.organisation_id)
    if scope.render_job_ids is not None:
        jobs = jobs.filter(pk__in=scope.render_job_ids)
    if scope.until is not None:
        jobs = jobs.filter(created_at__lt=scope.until)
    if scope.since is not None:
        jobs = jobs.filter(Q(finished_at__isnull=True) | Q(finished_at__gte=scope.since))
    job_ids = []
    with writer.open("render_jobs.jsonl") as out:
        for job in jobs.select_related("avatar", "grant").order_by("id").iterator(chunk_size=_PAGE):
            job_ids.append(job.pk)
            if job.grant_id is not None:
                grant_ids.add(job.grant_id)
            out.write(
                _json_line(
                    {
                        "job": str(job.public_id),
                        "subject": job.subject,
                        "stream_id": job.stream_id,
                        "avatar": str(job.avatar.public_id),
                        "consent_grant": str(job.grant.public_id) if job.grant else None,
                        "purpose": job.purpose,
                        "platform": job.platform,
                        "settings": job.settings,
                        "status": job.status,
                        "segment_count": job.segment_count,
                        "duration_s": job.duration_s,
                        "init_manifest_id": job.init_manifest_id,
                        "error_code": job.error_code,
                        "created_at": _stamp(job.created_at),
                        "started_at": _stamp(job.started_at),
                        "finished_at": _stamp(job.finished_at),
                    }
                )
            )
    segments = 0
    with writer.open("segments.jsonl") as out:
        # Job by job, so that the id list in the query stays one job long.
        for job_id in job_ids:
            for segment in _segments_of(job_id, scope):
                segments += 1
                out.write(
                    _json_line(
                        {
                            "job": str(segment.job.public_id),
                            "sequence": segment.sequence,
                            "uri": segment.uri,
                            "sha256": segment.sha256,
                            "size": segment.size,
                            "duration": segment.duration,
                            "wall_clock_start": _stamp(segment.wall_clock_start),
                            "manifest_id": segment.manifest_id,
                            "previous_manifest_id": segment.previous_manifest_id,
                            "watermark_id": segment.watermark_id,
                            "ledger_event": segment.ledger_event_id,
                        }
                    )
                )
    if scope.include_media:
        # A second pass (a zip has one open member at a time), streaming each file from storage into the zip.
        from render.publisher import segment_storage

        storage = segment_storage()
        for job_id in job_ids:
            job = RenderJob.objects.get(pk=job_id)
            stored_files = [(job.init_storage_name, "init.mp4")] if job.init_storage_name else []
            stored_files += [(s.storage_name, s.uri) for s in _segments_of(job_id, scope)]
            for stored, name in stored_files:
                with storage.open(stored, "rb") as source, writer.open(f"media/{job.stream_id}/{name}") as target:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)
    return grant_ids, segments


def _write_consent(writer: _Writer, scope: BundleScope, job_grant_ids: set[int]) -> int:
    """consent_grants.jsonl, minimised: hashes, the scope document (ids and choices, no person's data), dates and
    status; the ID number only by the last 4 digits already stored as such. No biometric data, no legal name."""
    from accounts.models import RealNameRecord
    from consent.models import ConsentGrant

    if scope.grant_ids is not None:
        grants = ConsentGrant.objects.filter(pk__in=set(scope.grant_ids) | job_grant_ids)
    else:
        grants = ConsentGrant.objects.filter(Q(brands__id=scope.organisation_id) | Q(pk__in=job_grant_ids))
    # Unsigned drafts are never shown to a brand (or its auditors): nothing was agreed yet.
    grants = grants.exclude(status__in=(*ConsentGrant.DRAFT_STATUSES, ConsentGrant.Status.DISCARDED)).distinct()
    count = 0
    with writer.open("consent_grants.jsonl") as out:
        for grant in grants.select_related("influencer", "template").order_by("id").iterator(chunk_size=_PAGE):
            last4 = (
                RealNameRecord.objects.filter(user_id=grant.influencer.user_id)
                .values_list("id_number_last4", flat=True)
                .first()
            )
            revocation = grant.revocation or None
            out.write(
                _json_line(
                    {
                        "grant": str(grant.public_id),
                        "subject": f"consent:{grant.public_id}",
                        "influencer": str(grant.influencer.public_id),
                        "influencer_id_number_last4": last4,
                        "template": str(grant.template.public_id),
                        "template_sha256": grant.template_sha256,
                        "scope_sha256": grant.scope_sha256,
                        "scope_document": grant.scope_canonical,
                        "status": grant.status,
                        "valid_from": _stamp(grant.valid_from),
                        "valid_until": _stamp(grant.valid_until),
                        "signed_at": _stamp(grant.signed_at),
                        "signature_method": grant.signature_method,
                        "countersignature_key_id": grant.countersignature_key_id,
                        "activated_at": _stamp(grant.activated_at),
                        "revoked_at": _stamp(grant.revoked_at),
                        "revocation_sha256": (
                            hashlib.sha256(_json_line(revocation).rstrip(b"\n")).hexdigest() if revocation else None
                        ),
                        "expired_at": _stamp(grant.expired_at),
                        "sample_sha256": grant.sample_sha256 or None,
                    }
                )
            )
            count += 1
    return count


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def _write_scripts(writer: _Writer, scope: BundleScope) -> list[str]:
    """The organisation's scripts, every version (canonical text, hash, findings) and every approval (the signed
    document, the passkey assertion, the reviewer's id): what an auditor needs to see which words were approved, by
    whom, with which findings overridden and why. Every concrete column, foreign keys as ids."""
    from streaming.models import Script, ScriptApproval, ScriptVersion

    organisation_id = scope.organisation_id
    tables = (
        (Script, Script.objects.filter(organisation_id=organisation_id), "scripts/scripts.jsonl"),
        (
            ScriptVersion,
            ScriptVersion.objects.filter(script__organisation_id=organisation_id),
            "scripts/versions.jsonl",
        ),
        (
            ScriptApproval,
            ScriptApproval.objects.filter(version__script__organisation_id=organisation_id),
            "scripts/approvals.jsonl",
        ),
    )
    written: list[str] = []
    for model, rows, file_name in tables:
        fields = model._meta.concrete_fields
        with writer.open(file_name) as out:
            for row in rows.order_by("pk").iterator(chunk_size=_PAGE):
                out.write(_json_line({f.attname: _plain(getattr(row, f.attname)) for f in fields}))
        written.append(file_name)
    return written


# ---------------------------------------------------------------------------------------------------------------------
# The bundle
# ---------------------------------------------------------------------------------------------------------------------


def write_bundle(
    *,
    path: Path,
    scope: BundleScope,
    signing_key: SigningKey,
    created_at: datetime,
    progress: Callable[[float], None] = lambda fraction: None,
) -> BundleResult:
    """Write the bundle of `scope` to `path` (replaced if present) and return its hash, size and counts."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".partial")
    total = count_events(scope)
    progress(0.05)
    # Owner-only, like every stored file that may hold personal data (common.files.write_private).
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with (
        os.fdopen(descriptor, "wb") as raw,
        zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        writer = _Writer(archive)
        events, used = _write_events(writer, scope, total, progress)
        checkpoints, key_ids = _write_checkpoints(writer, used)
        _write_keys(writer, key_ids | {signing_key.key_id})
        certificates = _write_certificates(writer)
        grant_ids, segments = _write_render(writer, scope)
        progress(0.9)
        grants = _write_consent(writer, scope, grant_ids)
        scripts = _write_scripts(writer, scope)
        for name, section in bundle_sections.sections():
            for file_name, data in section(scope):
                writer.write(f"{name}/{file_name}", data)
        writer.write("scope.json", _json_line(scope.description))
        writer.write("README.md", _README.read_bytes())
        writer.write("verify.py", Path(bundle_verify.__file__).read_bytes())
        manifest = {
            "format": FORMAT,
            "created_at": format_timestamp(created_at),
            "key_id": signing_key.key_id,
            "scope": scope.description,
            "counts": {
                "events": events,
                "checkpoints": checkpoints,
                "segments": segments,
                "consent_grants": grants,
            },
            "certificates": certificates,
            "scripts": scripts,
            "files": [
                {"path": name, "sha256": entry.sha256, "size": entry.size}
                for name, entry in sorted(writer.entries.items())
            ],
        }
        manifest_bytes = _json_line(manifest)
        signature = signing_key.sign(manifest_bytes)
        archive.writestr(bundle_verify.MANIFEST, manifest_bytes)
        archive.writestr(
            bundle_verify.SIGNATURE,
            _json_line({"algorithm": "Ed25519", "key_id": signing_key.key_id, "signature": signature.hex()}),
        )
        files = len(writer.entries)
    partial.replace(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return BundleResult(
        path=path,
        sha256=digest.hexdigest(),
        size=path.stat().st_size,
        events=events,
        checkpoints=checkpoints,
        files=files,
        key_id=signing_key.key_id,
    )
