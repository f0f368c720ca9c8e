"""Input and output shapes of the consent API. Inputs refuse unknown fields; outputs show each party only what it
needs (a brand sees a grant's scope and state, never the identity checks or the signatures' evidence)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.serializers import StrictSerializer
from consent.models import ConsentGrant, ConsentTemplate
from consent.scope import PLATFORMS, PURPOSES
from consent.texts import MODALITIES


class TemplateSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    # Plain strings, not enums: the values are documented on the models, and one "status" enum per model would
    # collide by name in the OpenAPI schema.
    status = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)

    class Meta:
        model = ConsentTemplate
        fields = (
            "id",
            "family",
            "language",
            "version",
            "title",
            "body",
            "pipl_fields",
            "content_sha256",
            "status",
            "published_at",
        )
        read_only_fields = fields


class TemplateInputSerializer(StrictSerializer):
    family = serializers.SlugField(max_length=80)
    language = serializers.ChoiceField(choices=ConsentTemplate.Language.values)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50_000)
    pipl_fields = serializers.DictField()


class TemplateReviseSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50_000)
    pipl_fields = serializers.DictField()


class GrantCreateSerializer(StrictSerializer):
    template = serializers.UUIDField()
    brands = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=50)
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=MODALITIES), min_length=1)
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=PURPOSES), min_length=1)
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=PLATFORMS), min_length=1)
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()
    hours_per_day = serializers.IntegerField(min_value=1, max_value=24, required=False, allow_null=True)
    excluded_product_categories = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=50
    )


class GrantSerializer(serializers.ModelSerializer):
    """The influencer's (and staff's) view of a grant."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    template = serializers.UUIDField(source="template.public_id", read_only=True)
    status = serializers.CharField(read_only=True)
    face_decision = serializers.CharField(read_only=True)
    voice_decision = serializers.CharField(read_only=True)
    signature_method = serializers.CharField(read_only=True)

    class Meta:
        model = ConsentGrant
        fields = (
            "id",
            "status",
            "template",
            "template_sha256",
            "scope",
            "scope_canonical",
            "scope_sha256",
            "valid_from",
            "valid_until",
            "face_score",
            "face_decision",
            "voice_score",
            "voice_decision",
            "needs_review",
            "signature_method",
            "signed_at",
            "countersignature_key_id",
            "activated_at",
            "revoked_at",
            "expired_at",
            "rejected_at",
            "created_at",
        )
        read_only_fields = fields


class BrandGrantSerializer(serializers.ModelSerializer):
    """What a brand needs: which influencer, what is allowed, until when, and the state."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    influencer = serializers.UUIDField(source="influencer.public_id", read_only=True)
    influencer_stage_name = serializers.CharField(source="influencer.stage_name", read_only=True)
    status = serializers.CharField(read_only=True)
    modalities = serializers.SerializerMethodField()
    purposes = serializers.SerializerMethodField()
    platforms = serializers.SerializerMethodField()
    excluded_product_categories = serializers.SerializerMethodField()

    class Meta:
        model = ConsentGrant
        fields = (
            "id",
            "influencer",
            "influencer_stage_name",
            "status",
            "modalities",
            "purposes",
            "platforms",
            "excluded_product_categories",
            "valid_from",
            "valid_until",
            "scope_sha256",
            "revoked_at",
            "expired_at",
        )
        read_only_fields = fields

    def get_modalities(self, grant: ConsentGrant) -> list[str]:
        return list(grant.scope.get("modalities", []))

    def get_purposes(self, grant: ConsentGrant) -> list[str]:
        return list(grant.scope.get("purposes", []))

    def get_platforms(self, grant: ConsentGrant) -> list[str]:
        return list(grant.scope.get("platforms", []))

    def get_excluded_product_categories(self, grant: ConsentGrant) -> list[str]:
        return list(grant.scope.get("limits", {}).get("excluded_product_categories", []))


class StatementUploadSerializer(StrictSerializer):
    challenge = serializers.UUIDField()
    # Optional: the code spoken in the video decides; a typed one is only checked when sent.
    code = serializers.RegexField(r"^[\d\s-]{6,16}$", max_length=16, required=False)
    video = serializers.FileField(allow_empty_file=False)


class SampleUploadSerializer(StrictSerializer):
    video = serializers.FileField(allow_empty_file=False)


class SignatureInputSerializer(StrictSerializer):
    """Either a WebAuthn assertion (credential.toJSON()) or an Ed25519 key id and base64 signature."""

    webauthn = serializers.DictField(required=False)
    ed25519_key_id = serializers.CharField(required=False, max_length=32)
    ed25519_signature = serializers.CharField(required=False, max_length=200)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_webauthn = "webauthn" in attrs
        has_ed25519 = "ed25519_key_id" in attrs or "ed25519_signature" in attrs
        if has_webauthn == has_ed25519:
            raise serializers.ValidationError(
                "Send either `webauthn` or `ed25519_key_id` with `ed25519_signature`.", code="signature_required"
            )
        if has_ed25519 and not ("ed25519_key_id" in attrs and "ed25519_signature" in attrs):
            raise serializers.ValidationError(
                "Send both `ed25519_key_id` and `ed25519_signature`.", code="signature_required"
            )
        return attrs


class PasskeyRegistrationSerializer(StrictSerializer):
    credential = serializers.DictField()
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ApiKeySerializer(StrictSerializer):
    public_key = serializers.CharField(max_length=100, help_text="The 32-byte Ed25519 public key, base64.")
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ReviewInputSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(max_length=5000)
