"""Compliance records: personal-information impact assessments (PIPL Arts. 55-56), legal holds that block the
retention purge, and the purge's own record of what it deleted (the ledger event says it too)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation


class ImpactAssessment(models.Model):
    """A brand's PIA before biometric processing (rules.md CN-PIPL-PIA-3Y). Saved as a draft, then approved by an
    owner or staff; the approved text's SHA-256 is ledgered, and the record is kept at least 3 years (3Y_MIN)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        APPROVED = "approved", "approved"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="impact_assessments")
    purposes = models.TextField()
    data_categories = models.TextField()
    necessity = models.TextField()
    impact = models.TextField()
    measures = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"PIA {self.public_id} ({self.status})"


class LegalHold(models.Model):
    """Staff's hold on an organisation's records (or one stream's): the purge deletes nothing it covers until
    released. Consent's own LegalHold (per influencer) keeps biometric data keys; this one keeps recordings."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="record_holds")
    # A render job's stream id (render_job subject); empty: the whole organisation.
    stream_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"hold {self.public_id} on {self.organisation_id}"


class PurgedRecording(models.Model):
    """One render job whose stored files the purge deleted; its rows (segment hashes, ledger events) stay."""

    job = models.OneToOneField("render.RenderJob", on_delete=models.PROTECT, related_name="purge")
    retention_class = models.CharField(max_length=32)
    files = models.PositiveIntegerField()
    purged_at = models.DateTimeField(default=timezone.now)
    ledger_event_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"purged {self.job_id}"


class ArtifactCheck(models.Model):
    """One re-examination of a stream's stored artifacts (frames sampled for the label, the AIGC metadata read back,
    the C2PA chain verified, the watermark decoded, the files re-hashed), run by a Celery task and dated, so the
    dashboard and reports read its stored result instead of decoding video on every page view."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"  # the check itself broke (not: the stream failed a rule)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="artifact_checks")
    job = models.ForeignKey("render.RenderJob", on_delete=models.PROTECT, related_name="artifact_checks")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    interval_seconds = models.FloatField(default=10.0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # {"label_presence": {"result", "detail", "evidence"}, "label_height": ..., "label_text": ..., "aigc_metadata":
    # ..., "c2pa": ..., "watermark": ..., "samples": [{"sequence", "t", "present", "text_height_px", ...}]}
    results = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"artifact check {self.public_id} ({self.status})"
