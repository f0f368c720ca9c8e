"""Identity: users (email login), organisations (brands) with role memberships, influencer profiles and
real-name records. Every other app builds on these; nothing here imports from the domain apps."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address.

    `is_staff` marks platform employees (admin access, platform-wide read for auditing). `is_platform_auditor`
    marks external auditors with read-only access to every organisation.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_platform_auditor = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email

    @property
    def ledger_actor(self) -> str:
        return f"user:{self.public_id}"


class Organisation(models.Model):
    """A brand: it runs streams, holds consents granted to it, and has members with roles.

    Nobody can grant a brand consent until platform staff have verified its legal entity (legal name and
    Unified Social Credit Code): a display name alone proves nothing. `name_skeleton` is the name's confusable
    skeleton (`accounts.brand_names`), so a look-alike of a verified brand is found with one indexed lookup.
    """

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        PENDING = "pending", _("Waiting for staff review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    name_skeleton = models.CharField(max_length=800, blank=True, db_index=True)
    legal_name = models.CharField(max_length=200, blank=True)
    uscc = models.CharField("unified social credit code", max_length=18, blank=True)
    verification_status = models.CharField(max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED)
    verification_requested_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)

    class Meta:
        # Held by the "reviewers" staff group (accounts.staff_groups); brands.verify_organisation requires it.
        permissions: ClassVar = [("verify_organisation", "Can verify or reject a brand's legal entity")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        OPERATOR = "operator", _("Operator")
        VIEWER = "viewer", _("Viewer")
        # Reviewers approve the brand's scripts (and read everything); they do not edit. Editors and operators
        # cannot approve, not even their own script: the approver is a second, named person.
        REVIEWER = "reviewer", _("Reviewer")
        # Auditors read everything of the organisation and change nothing.
        AUDITOR = "auditor", _("Auditor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user_and_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.organisation}"


class Invitation(models.Model):
    """An owner's invitation to join an organisation with a role; nobody becomes a member without accepting one.

    It is addressed to an e-mail address, not to an account: whether the address has an account is never looked
    up when inviting (the answer would tell the inviter), and whoever signs in with that address may accept it.
    A pending invitation past `expires_at` is expired, whether or not its status says so yet.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_org_and_email",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["email", "status"], name="invitation_email_status")]

    def __str__(self) -> str:
        return f"invitation to {self.organisation} as {self.role}"

    def is_open(self, now: Any = None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > (now or timezone.now())


class InfluencerProfile(models.Model):
    """The public face of a person who may be cloned. Their identity lives in `RealNameRecord`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="influencer")
    stage_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.stage_name


class RealNameRecord(models.Model):
    """Real-name verification of a person (influencer or operator).

    Only what the checks need is kept. Of the ID document number: a memory-hard, peppered digest (one document, one
    account; see `accounts.identity`) with the name of its KDF cost, and the last four characters (for humans to
    recognise it). Of the date of birth: nothing for a person who was an adult when verified, and for a minor only
    the day they turn 18 (`adult_on`), which the gate needs to stop refusing them then. A digest stored next to the
    full birth date would leave a few thousand candidate numbers to try; a stored age would go stale.
    """

    class DocumentType(models.TextChoices):
        PRC_RESIDENT_ID = "prc_resident_id", _("PRC resident identity card")
        PASSPORT = "passport", _("Passport")
        HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
        TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")

    class Method(models.TextChoices):
        ID_CARD_NFC = "id_card_nfc", _("Resident ID card read over NFC")
        FACE_LIVENESS = "face_liveness", _("ID document plus face liveness check")
        DOCUMENT_REVIEW = "document_review", _("Manual document review by staff")
        CARRIER_REAL_NAME = "carrier_real_name", _("Mobile carrier real-name check")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="real_name")
    legal_name = models.CharField(max_length=200)
    document_type = models.CharField(max_length=32, choices=DocumentType.choices, default=DocumentType.PRC_RESIDENT_ID)
    id_number_digest = models.CharField(max_length=64, unique=True)
    # The KDF and cost the digest was made with (e.g. "scrypt:n=32768,r=8,p=1"), so a raised cost still finds old rows.
    id_number_kdf = models.CharField(max_length=64)
    id_number_last4 = models.CharField(max_length=4)
    # A minor's 18th birthday; null: an adult when verified (adults never become minors again).
    adult_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=32, choices=Method.choices)
    verified_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"real-name record of {self.user} (…{self.id_number_last4})"

    def is_adult_on(self, day: date) -> bool:
        return self.adult_on is None or day >= self.adult_on


class ApiToken(models.Model):
    """An API token: only its SHA-256 digest is stored, so a copy of the database logs nobody in.

    The plaintext (`vc_` + 43 url-safe characters, 256 random bits) is shown once, at login. A fast hash is right
    here (unlike passwords): the key is random, so there is nothing to guess. `prefix` lets a person recognise a
    token in the list without it being usable. Tokens expire (`API_TOKEN_TTL`) and can be revoked; see
    `accounts.tokens`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["user", "expires_at"], name="apitoken_user_expiry")]

    def __str__(self) -> str:
        return f"API token {self.prefix}… of {self.user_id}"
