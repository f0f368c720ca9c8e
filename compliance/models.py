"""Compliance records: personal-information impact assessments (PIPL Arts. 55-56), legal holds that block the
retention purge, and the purge's own record of what it deleted (the ledger event says it too)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation


class ImpactAssessment(models.Model):
    """A personal-information impact assessment of one influencer's biometric processing (PIPL Arts. 55-56, rules.md
    CN-PIPL-PIA-3Y), written and approved by platform staff (the platform's data-protection role) before any avatar
    of her is built or any segment rendered; the consent gate refuses without an approved one that covers the
    purpose and modalities asked for. Never edited in place: saving makes a new draft. The record is kept at least
    3 years after approval (retention class 3Y_MIN, `retain_until`); `sha256` is the hash of its canonical document
    (`compliance.assessments.assessment_document`, downloadable from its page), ledgered when saved and approved.

    Rows with `influencer` empty are the organisation-level assessments of the first design (migration 0003): kept
    as records for their 3 years, shown on the brand's assessment page, and no longer opening the gate."""

    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        APPROVED = "approved", "approved"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    influencer = models.ForeignKey(
        "accounts.InfluencerProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="impact_assessments",
    )
    # Only on the legacy organisation-level rows.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="impact_assessments"
    )
    # What the assessment covers, in the consent scope's vocabulary (consent.scope.PURPOSES, consent.texts.MODALITIES):
    # the gate compares them with the use asked for.
    purpose_codes = models.JSONField(default=list)
    modalities = models.JSONField(default=list)
    purposes = models.TextField()
    data_categories = models.TextField()
    necessity = models.TextField()
    impact = models.TextField()  # the risks to her rights and interests
    measures = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    sha256 = models.CharField(max_length=64, blank=True)
    retention_class = models.CharField(max_length=16, default="3Y_MIN")
    retain_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["influencer", "status"], name="compliance_pia_influencer"),)

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
