"""Live interaction: viewers' comments arriving through a stream's signed webhook, what was decided for each (an
approved FAQ answer, the operator, or suppressed), the answers waiting for the live runner, and the room's viewer
and order counts over time (docs/live-interaction.md).

A comment's author is stored only as a keyed hash (interaction.author_hash); the webhook secret only sealed
(interaction.webhook_secrets)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from streaming.models import FaqEntry, Stream


class WebhookSecret(models.Model):
    """The HMAC key a stream's comment connector signs with: AES-256-GCM sealed, shown once when issued."""

    stream = models.OneToOneField(Stream, on_delete=models.CASCADE, related_name="webhook_secret")
    ciphertext = models.BinaryField()
    last4 = models.CharField(max_length=4)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"webhook secret …{self.last4}"


class Comment(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        ANSWER = "answer", _("Answered from the FAQ")
        OPERATOR = "operator", _("Sent to the operator")
        SUPPRESSED = "suppressed", _("Suppressed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="comments")
    # The platform's own message id: a second delivery of it is a replay and is refused.
    external_id = models.CharField(max_length=128)
    platform = models.CharField(max_length=32)
    author_hash = models.CharField(max_length=64)
    text = models.CharField(max_length=500, blank=True)
    # Events that came with the comment: [{"type": "follow"|"like"|"gift"|"order", "count": n, "item": "..."}].
    events = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    faq = models.ForeignKey(FaqEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    score = models.FloatField(null=True, blank=True)
    # Top candidates with their scores, for the operator: [{"faq": public_id, "question", "answer", "score"}].
    candidates = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=64, blank=True)
    flagged = models.BooleanField(default=False)
    flags = models.JSONField(default=list, blank=True)
    handled = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["stream", "external_id"], name="one_comment_per_platform_id"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["stream", "decision", "received_at"], name="comment_feed"),
            models.Index(fields=["stream", "received_at"], name="comment_time"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.external_id}"

    @property
    def subject(self) -> str:
        return self.stream.subject


class Answer(models.Model):
    """An approved sentence the avatar is to say in reply to a comment: an FAQ's stored answer (chosen by the
    matcher or sent by the operator with one click) or an operator's typed reply that passed the linter."""

    class Source(models.TextChoices):
        MATCHED = "matched", _("Matched automatically")
        SUGGESTED = "suggested", _("Sent by the operator from the suggestions")
        TYPED = "typed", _("Typed by the operator")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be spoken")
        SPOKEN = "spoken", _("Spoken")
        # Failed the linter just before it was spoken (the word lists changed after it was queued): never spoken.
        WITHDRAWN = "withdrawn", _("Withdrawn: fails the linter now")
        # It would have aired too long after it was queued (LIVE_ANSWER_MAX_WAIT_SECONDS): never spoken.
        EXPIRED = "expired", _("Expired: not reached in time")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="answers")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="answers")
    faq = models.ForeignKey(FaqEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    address = models.CharField(max_length=32, blank=True)
    text = models.CharField(max_length=2000)
    language = models.CharField(max_length=2)
    source = models.CharField(max_length=16, choices=Source.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    spoken_sequence = models.IntegerField(null=True, blank=True)
    spoken_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=64, blank=True)  # why it was never spoken (withdrawn or expired)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["stream", "state", "created_at"], name="answer_queue")]

    def __str__(self) -> str:
        return self.spoken_text

    @property
    def spoken_text(self) -> str:
        return f"{self.address}{self.text}"


class RoomSample(models.Model):
    """The room at one moment, as the platform reported it: viewers now and orders in the last minute."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="room_samples")
    external_id = models.CharField(max_length=128)
    at = models.DateTimeField()
    viewers = models.IntegerField(null=True, blank=True)
    orders_per_minute = models.FloatField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["stream", "external_id"], name="one_room_sample_per_platform_id"),
        ]
        indexes: ClassVar = [models.Index(fields=["stream", "at"], name="room_series")]

    def __str__(self) -> str:
        return f"{self.at.isoformat()} viewers={self.viewers} orders/min={self.orders_per_minute}"


class HostState(models.Model):
    """The live host's tone and strategy tier now (interaction/tone.py decides, interaction/host_state.py keeps it):
    since when each is held (the dwell time counts from there) and the room figures the last decision saw."""

    class Tone(models.TextChoices):
        NEUTRAL = "neutral", _("Neutral")
        UPBEAT = "upbeat", _("Upbeat")
        CALM = "calm", _("Calm")

    class Tier(models.TextChoices):
        FEW = "few", _("Few viewers: greetings and FAQ first")
        NORMAL = "normal", _("Normal: the script's order")
        CROWD = "crowd", _("A crowd: products and prices first")

    stream = models.OneToOneField(Stream, on_delete=models.CASCADE, related_name="host_state")
    tone = models.CharField(max_length=16, choices=Tone.choices, default=Tone.NEUTRAL)
    tone_since = models.DateTimeField()
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.NORMAL)
    tier_since = models.DateTimeField()
    abuse_per_minute = models.FloatField(default=0.0)
    orders_per_minute = models.FloatField(null=True, blank=True)
    viewers = models.IntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.tone}/{self.tier}"
