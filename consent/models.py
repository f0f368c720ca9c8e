"""Models of the consent domain: consent texts, grants and their evidence, signing credentials, the biometric vault.

A grant's scope is stored as the exact canonical JSON text (RFC 8785) the influencer signed, next to its SHA-256;
the parsed copy (`scope`) and the brand rows (`brands`) are conveniences for queries and never what is verified.
Biometric media never lives in a column: the vault stores ciphertext in the default storage and only its hashes here.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import InfluencerProfile, Organisation


class ConsentTemplate(models.Model):
    """One version of a consent text in one language. Published versions are immutable: a revision is a new row."""

    class Language(models.TextChoices):
        ZH_CN = "zh-CN", "简体中文"
        EN = "en", "English"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # All versions and languages of one text share a family (e.g. "avatar-licence").
    family = models.SlugField(max_length=80)
    language = models.CharField(max_length=8, choices=Language.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    # The PIPL Art. 17/30 notice items as structured data (see consent.texts.PIPL_FIELDS).
    pipl_fields = models.JSONField(default=dict)
    content_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["family", "language", "version"], name="one_template_version"),
        ]
        ordering: ClassVar = ["family", "language", "-version"]

    def __str__(self) -> str:
        return f"{self.family} v{self.version} ({self.language}, {self.status})"


class ConsentVersion(models.Model):
    """The influencer's consent version stamp: bumped by every change that can alter a gate decision.

    Gates cache decisions together with the stamp they were made under and re-read the stamp (Redis) on every
    check; this column is the source of truth when Redis has lost the key.
    """

    influencer = models.OneToOneField(InfluencerProfile, on_delete=models.CASCADE, related_name="consent_version")
    version = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"consent version {self.version} of {self.influencer_id}"


class ConsentGrant(models.Model):
    class Status(models.TextChoices):
        PENDING_STATEMENT = "pending_statement", _("Waiting for the statement video")
        PENDING_SIGNATURE = "pending_signature", _("Waiting for the signature")
        PENDING_REVIEW = "pending_review", _("Waiting for staff review")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        # An unsigned draft that the influencer discarded or that lapsed after DRAFT_TTL: never shown to a brand.
        DISCARDED = "discarded", _("Discarded draft")

    # Unsigned drafts: nothing was agreed yet, so they keep no data key alive and expire after a day.
    DRAFT_STATUSES: ClassVar[tuple[str, ...]] = ("pending_statement", "pending_signature")
    # Signed and not ended: these, and only these, keep the influencer's data key.
    SIGNED_LIVE_STATUSES: ClassVar[tuple[str, ...]] = ("pending_review", "active")

    class SignatureMethod(models.TextChoices):
        WEBAUTHN = "webauthn", _("Passkey (WebAuthn)")
        ED25519 = "ed25519", _("API key (Ed25519)")

    class Check(models.TextChoices):
        PASS = "pass", _("Matched")
        FAIL = "fail", _("Did not match")
        UNAVAILABLE = "unavailable", _("Could not be checked")
        NOT_REQUIRED = "not_required", _("Not required")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    influencer = models.ForeignKey(InfluencerProfile, on_delete=models.PROTECT, related_name="consent_grants")
    template = models.ForeignKey(ConsentTemplate, on_delete=models.PROTECT, related_name="grants")
    template_sha256 = models.CharField(max_length=64)
    # The signed document, byte for byte (RFC 8785 text), and its SHA-256. `scope` is the parsed copy.
    scope_canonical = models.TextField()
    scope_sha256 = models.CharField(max_length=64)
    scope = models.JSONField()
    brands = models.ManyToManyField(Organisation, related_name="consent_grants")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING_STATEMENT)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    # Statement video and identity checks.
    statement = models.ForeignKey(
        "VaultObject", null=True, blank=True, on_delete=models.SET_NULL, related_name="statement_of"
    )
    face_score = models.FloatField(null=True, blank=True)
    face_decision = models.CharField(max_length=16, choices=Check.choices, blank=True)
    voice_score = models.FloatField(null=True, blank=True)
    voice_decision = models.CharField(max_length=16, choices=Check.choices, blank=True)
    needs_review = models.BooleanField(default=False)
    # The training sample the statement was compared with: the scope document the influencer signs names it (id and
    # SHA-256), and avatars are built from it and from no other sample. Empty on grants drafted before v2 scopes.
    sample = models.ForeignKey(
        "VaultObject", null=True, blank=True, on_delete=models.SET_NULL, related_name="bound_grants"
    )
    sample_sha256 = models.CharField(max_length=64, blank=True)

    # The influencer's signature over `scope_canonical`.
    signature_method = models.CharField(max_length=16, choices=SignatureMethod.choices, blank=True)
    signature = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # The platform's Ed25519 countersignature over `countersigned_document`.
    countersigned_document = models.TextField(blank=True)
    countersignature = models.CharField(max_length=128, blank=True)
    countersignature_key_id = models.CharField(max_length=32, blank=True)
    countersignature_public_key = models.CharField(max_length=64, blank=True)

    activated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation = models.JSONField(default=dict, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["influencer", "status"]),
            models.Index(fields=["status", "valid_until"]),
        ]
        ordering: ClassVar = ["-created_at", "-pk"]
        # Held by the "reviewers" staff group (accounts.staff_groups): review_grant and the review page with the
        # decrypted statement and training sample require it.
        permissions: ClassVar = [("review_consentgrant", "Can review consents and watch their statement and sample")]

    def __str__(self) -> str:
        return f"consent grant {self.public_id} ({self.status})"

    @property
    def modalities(self) -> list[str]:
        return list(self.scope.get("modalities", []))


class StatementChallenge(models.Model):
    """A one-time code shown on screen and read aloud in the statement video: valid 10 minutes, used once.

    Only an HMAC digest of the code is stored, so a database reader cannot replay it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grant = models.ForeignKey(ConsentGrant, on_delete=models.CASCADE, related_name="statement_challenges")
    code_digest = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Wrong codes tried: five burn the challenge, so the code cannot be guessed within its ten minutes.
    attempts = models.PositiveSmallIntegerField(default=0)
    # The liveness actions asked for, in order, each with its window in seconds from the start of the recording
    # (consent.biometrics.liveness.ChallengeAction.as_dict). Empty on challenges issued before liveness checks.
    actions = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"statement challenge {self.public_id}"


class WebAuthnCredential(models.Model):
    """A passkey registered by a user; its COSE public key verifies their assertions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.BinaryField(unique=True)
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    rp_id = models.CharField(max_length=253)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"passkey {self.public_id} of {self.user_id}"


class UsedAssertionChallenge(models.Model):
    """Every WebAuthn challenge accepted once: the same challenge is never accepted again (replay)."""

    challenge_sha256 = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.challenge_sha256


class ApiSigningKey(models.Model):
    """An Ed25519 public key an influencer registered to sign consent documents from an API client."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_api_keys")
    key_id = models.CharField(max_length=32, unique=True)
    public_key = models.BinaryField()
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"api signing key {self.key_id}"


class DataKey(models.Model):
    """An influencer's AES-256 data key, wrapped by the master key. Destroying it crypto-shreds every object."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DESTROYED = "destroyed", _("Destroyed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    influencer = models.ForeignKey(InfluencerProfile, on_delete=models.PROTECT, related_name="data_keys")
    wrapped_key = models.BinaryField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["influencer"], condition=models.Q(status="active"), name="one_active_data_key"
            ),
        ]

    def __str__(self) -> str:
        return f"data key {self.public_id} ({self.status})"


class VaultObject(models.Model):
    """One encrypted blob (a sample or a statement video) in the default storage."""

    class Kind(models.TextChoices):
        SAMPLE = "sample", _("Training sample video")
        STATEMENT = "statement", _("Consent statement video")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    influencer = models.ForeignKey(InfluencerProfile, on_delete=models.PROTECT, related_name="vault_objects")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="sealed_objects")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    storage_name = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    plaintext_size = models.BigIntegerField()
    plaintext_sha256 = models.CharField(max_length=64)
    ciphertext_sha256 = models.CharField(max_length=64)
    media_info = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"vault object {self.public_id} ({self.kind})"


class LegalHold(models.Model):
    """While an active hold exists, the influencer's data key is kept even after every consent has ended."""

    influencer = models.ForeignKey(InfluencerProfile, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"legal hold on {self.influencer_id}"


class ReviewDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    grant = models.ForeignKey(ConsentGrant, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.decision} of {self.grant_id}"


class SampleUpload(models.Model):
    """A training sample arriving in chunks, so that a large file survives a flaky connection: the client asks for
    the offset and sends the rest. Each chunk is encrypted under the influencer's data key as it arrives (the same
    envelope as the vault), so biometric plaintext never rests on disk; `finish` decrypts them in memory and runs
    the same validation as a one-shot sample upload."""

    class Status(models.TextChoices):
        OPEN = "open", _("Receiving")
        FINISHED = "finished", _("Accepted")
        REFUSED = "refused", _("Refused")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    influencer = models.ForeignKey(InfluencerProfile, on_delete=models.PROTECT, related_name="sample_uploads")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="sample_uploads")
    total_size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    content_type = models.CharField(max_length=100)
    filename = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    refusal_code = models.CharField(max_length=64, blank=True)
    refusal_message = models.TextField(blank=True)
    sample = models.ForeignKey(VaultObject, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["status", "expires_at"])]
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"sample upload {self.public_id} ({self.status}, {self.received}/{self.total_size})"


class SampleUploadPart(models.Model):
    """One received chunk: ciphertext in the default storage, bytes [offset, offset + size) of the upload."""

    upload = models.ForeignKey(SampleUpload, on_delete=models.CASCADE, related_name="parts")
    offset = models.BigIntegerField()
    size = models.IntegerField()
    storage_name = models.CharField(max_length=300)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["upload", "offset"], name="one_part_per_offset")]
        ordering: ClassVar = ["offset"]

    def __str__(self) -> str:
        return f"part at {self.offset} of {self.upload_id}"
