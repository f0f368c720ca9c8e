"""Models of the render domain: avatars built from consented samples, render jobs, and the segments they publish.

An avatar's assets live encrypted in the biometric vault (`assets`, a consent VaultObject under the influencer's data
key), so revoking the consent crypto-shreds them with the sample. A Segment row exists only for a segment whose
bytes are stored and whose `segment.published` ledger event committed in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings as conf
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import InfluencerProfile, Organisation
from consent.models import ConsentGrant, VaultObject


class Avatar(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        SHREDDED = "shredded", _("Shredded with the consent")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    influencer = models.ForeignKey(InfluencerProfile, on_delete=models.PROTECT, related_name="avatars")
    brand = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="avatars")
    grant = models.ForeignKey(ConsentGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="avatars")
    purpose = models.CharField(max_length=64)
    platform = models.CharField(max_length=64)
    voice = models.BooleanField(default=False)
    sample = models.ForeignKey(VaultObject, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assets = models.ForeignKey(VaultObject, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    # The build form's or the API client's key (render.request_keys): a retried request finds this avatar.
    request_key = models.UUIDField(null=True, blank=True, unique=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    # [{"name": "greet", "start_s": 1.0, "end_s": 2.5}, ...] as marked by a person; validated against the sample.
    gesture_marks = models.JSONField(default=list, blank=True)
    # Motion-based suggestions from the last build: [{"start_s", "end_s", "score"}].
    suggestions = models.JSONField(default=list, blank=True)
    sample_duration_s = models.FloatField(null=True, blank=True)
    engine_defaults = models.JSONField(default=dict, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        conf.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["influencer", "status"]), models.Index(fields=["brand", "status"])]

    def __str__(self) -> str:
        return f"avatar {self.public_id} ({self.status})"

    @property
    def organisation(self) -> Organisation:
        """The brand, under the name the shared permission classes look for."""
        return self.brand

    @property
    def subject(self) -> str:
        return f"avatar:{self.public_id}"

    @property
    def modalities(self) -> list[str]:
        return ["face_likeness", "voice"] if self.voice else ["face_likeness"]


class RenderJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE: ClassVar[tuple[str, ...]] = (Status.QUEUED, Status.RUNNING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    avatar = models.ForeignKey(Avatar, on_delete=models.PROTECT, related_name="jobs")
    brand = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="render_jobs")
    grant = models.ForeignKey(ConsentGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=64)
    platform = models.CharField(max_length=64)
    # {"width", "height", "fps", "engine", "label_languages", "disclosure_languages", "rhythm_label"}
    settings = models.JSONField(default=dict)
    # [{"id", "text", "language", "intent"}]
    lines = models.JSONField(default=list)
    # The approved script version the job speaks (render never imports streaming, so these are its public ids);
    # every stored line also carries the version hash (`script_version`). Blank only on jobs from before scripts.
    script_id = models.CharField(max_length=36, blank=True)
    script_version_id = models.CharField(max_length=36, blank=True)
    script_version_number = models.PositiveIntegerField(null=True, blank=True)
    script_version_sha256 = models.CharField(max_length=64, blank=True)
    script_approval_id = models.CharField(max_length=36, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stream_id = models.CharField(max_length=64, unique=True)
    segment_count = models.PositiveIntegerField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    init_storage_name = models.CharField(max_length=300, blank=True)
    init_manifest_id = models.CharField(max_length=200, blank=True)
    playlist_storage_name = models.CharField(max_length=300, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    # The key the start form carries (one per form shown): a second submit of the same form (a double click, a
    # resent POST) finds the job the first one made instead of starting another. Unique, so two racing requests
    # cannot both insert.
    request_key = models.UUIDField(null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        conf.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["brand", "status"]),
            # The public clip check finds a lone segment's stream by the init manifest its signed manifest names.
            models.Index(fields=["init_manifest_id"], name="render_job_init_manifest_idx"),
        ]

    def __str__(self) -> str:
        return f"render job {self.public_id} ({self.status})"

    @property
    def organisation(self) -> Organisation:
        return self.brand

    @property
    def subject(self) -> str:
        """The job's ledger chain (`stream:` is the live streaming domain's)."""
        return f"render_job:{self.public_id}"


class Segment(models.Model):
    """One published, signed 2 s fMP4 media segment (write-once: created with its ledger event)."""

    job = models.ForeignKey(RenderJob, on_delete=models.PROTECT, related_name="segments")
    sequence = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=300)
    uri = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    duration = models.FloatField()
    # When the segment's first frame is on air (UTC): EXT-X-PROGRAM-DATE-TIME in the playlist.
    wall_clock_start = models.DateTimeField(null=True, blank=True)
    manifest_id = models.CharField(max_length=200)
    previous_manifest_id = models.CharField(max_length=200, blank=True)
    watermark_id = models.CharField(max_length=32)
    label = models.JSONField(default=dict)
    # The consent grant the segment was published under, named as RenderJob.grant (the ledger records its public id).
    grant = models.ForeignKey(ConsentGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    script_line_ids = models.JSONField(default=list)
    ledger_event_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["job", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["job", "sequence"], name="one_segment_per_job_and_sequence"),
        ]
        indexes: ClassVar = [
            # The public clip check looks segments up by the content id the watermark decodes (equality) or by its
            # first 10 hex digits, the stream code (LIKE 'prefix%': pattern ops serve it in any collation).
            models.Index(fields=["watermark_id"], name="segment_watermark_id_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"segment {self.sequence} of {self.job.stream_id}"

    @property
    def organisation(self) -> Organisation:
        return self.job.brand


class ShortVideo(models.Model):
    """One short video: an approved script rendered by an avatar into a single downloadable MP4 (consent purpose
    `short_video`). The file exists in segment storage only once `short_video.completed` committed with its hash."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE: ClassVar[tuple[str, ...]] = (Status.QUEUED, Status.RUNNING)
    PURPOSE: ClassVar[str] = "short_video"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    avatar = models.ForeignKey(Avatar, on_delete=models.PROTECT, related_name="short_videos")
    brand = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="short_videos")
    grant = models.ForeignKey(ConsentGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=64)
    # {"orientation", "resolution", "width", "height", "fps", "label_languages", "disclosure_languages"}
    settings = models.JSONField(default=dict)
    # ApprovedScript.job_lines(): [{"id", "text", "language", "intent", "product_ids", ..., "script_version"}]
    lines = models.JSONField(default=list)
    # ApprovedScript.reference(): the script, version (public id, number, sha256) and approval it speaks.
    script = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    storage_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    request_key = models.UUIDField(null=True, blank=True, unique=True)  # render.request_keys
    size = models.PositiveBigIntegerField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    manifest_id = models.CharField(max_length=200, blank=True)
    watermark_id = models.CharField(max_length=32, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        conf.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["brand", "status"])]

    def __str__(self) -> str:
        return f"short video {self.public_id} ({self.status})"

    @property
    def organisation(self) -> Organisation:
        return self.brand

    @property
    def subject(self) -> str:
        return f"short_video:{self.public_id}"

    @property
    def file_name(self) -> str:
        """What a download is called."""
        return f"short-video-{self.public_id}.mp4"


class CloneVoice(models.Model):
    """A voice made from an avatar's consented sample on the configured clone server (render/voice_clone.py).

    The server holds the reference audio under `server_voice_id`; this row is how revocation finds it to delete it.
    `server_url` is the origin the reference was sent to (no path, no credentials)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("On the clone server")
        DELETED = "deleted", _("Deleted from the clone server")
        DELETE_FAILED = "delete_failed", _("Deletion from the clone server failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    avatar = models.ForeignKey(Avatar, on_delete=models.PROTECT, related_name="clone_voices")
    server_url = models.CharField(max_length=500)
    server_voice_id = models.CharField(max_length=200)
    reference_sha256 = models.CharField(max_length=64)
    # The use the reference was sent for: revocation deletes the voice once the gate refuses this use.
    purpose = models.CharField(max_length=64)
    platform = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["avatar", "status"])]

    def __str__(self) -> str:
        return f"clone voice {self.public_id} ({self.status})"
