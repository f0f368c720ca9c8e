"""What the checks read, loaded once per stream: the render job, its segment.published events (the ledger's claims),
its Segment rows (the stored artifacts), the consent grant, the avatar and the influencer's real-name record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accounts.models import Organisation, RealNameRecord
from audit.models import LedgerEvent
from consent.models import ConsentGrant
from render.models import RenderJob, Segment


@dataclass
class SegmentFact:
    sequence: int
    event_id: int
    event_hash: str
    payload: dict[str, Any]

    @property
    def ref(self) -> str:
        return f"ledger:{self.event_id}"

    @property
    def wall_clock_start(self) -> datetime | None:
        value = self.payload.get("wall_clock_start")
        if not isinstance(value, str):
            return None
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None


@dataclass
class StreamFacts:
    job: RenderJob
    segments: list[SegmentFact]
    rows: dict[int, Segment]
    grants: dict[str, ConsentGrant]
    real_name: RealNameRecord | None
    purged: bool = False
    # The latest finished ArtifactCheck of the job (compliance.artifacts): what the stored files showed when examined.
    artifact: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stream_id(self) -> str:
        return self.job.stream_id

    @property
    def start(self) -> datetime | None:
        return self.segments[0].wall_clock_start if self.segments else self.job.started_at


@dataclass
class OrganisationFacts:
    organisation: Organisation
    since: datetime | None
    until: datetime | None
    streams: list[StreamFacts]


def load_stream(job: RenderJob) -> StreamFacts:
    from compliance.artifacts import latest_artifact_check
    from compliance.models import PurgedRecording

    events = LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").order_by("seq")
    segments = []
    for event in events.iterator(chunk_size=2000):
        payload = event.payload_data
        segments.append(
            SegmentFact(
                sequence=int(payload.get("sequence", -1)), event_id=event.pk, event_hash=event.hash, payload=payload
            )
        )
    rows = {row.sequence: row for row in Segment.objects.filter(job=job)}
    grant_ids = {str(s.payload.get("consent_grant_id")) for s in segments if s.payload.get("consent_grant_id")}
    grants = {
        str(g.public_id): g for g in ConsentGrant.objects.filter(public_id__in=grant_ids).prefetch_related("brands")
    }
    if job.grant is not None:
        grants.setdefault(str(job.grant.public_id), job.grant)
    real_name = RealNameRecord.objects.filter(user__influencer=job.avatar.influencer_id).first()
    return StreamFacts(
        job=job,
        segments=segments,
        rows=rows,
        grants=grants,
        real_name=real_name,
        purged=PurgedRecording.objects.filter(job=job).exists(),
        artifact=latest_artifact_check(job),
    )
