"""Input and output shapes of the accounts API. No side effects: views call services with validated data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from accounts.models import InfluencerProfile, Invitation, Membership, Organisation, RealNameRecord, User
from accounts.selectors import is_adult
from common.serializers import StrictSerializer

# Output -----------------------------------------------------------------------------------------------------


class OrganisationSummarySerializer(serializers.Serializer[Organisation]):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)


class OrganisationSerializer(OrganisationSummarySerializer):
    created_at = serializers.DateTimeField(read_only=True)
    # A CharField, not a ChoiceField: the schema already has the role enum (from `role`), and a second field
    # over the same choices would give it a second name.
    my_role = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=(
            f"Your role in this organisation ({', '.join(Membership.Role.values)}); "
            "null for platform staff and auditors who are not members."
        ),
    )


class UserSummarySerializer(serializers.Serializer[User]):
    public_id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class MemberSerializer(serializers.Serializer[Membership]):
    user = UserSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class InvitationSerializer(serializers.Serializer[Invitation]):
    """An invitation as its organisation's owners and its invitee see it."""

    public_id = serializers.UUIDField(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    status = serializers.ChoiceField(choices=Invitation.Status.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class BrandSerializer(OrganisationSummarySerializer):
    """A brand with its legal entity and verification: what a person sees before consenting to it."""

    legal_name = serializers.CharField(read_only=True)
    uscc = serializers.CharField(read_only=True, help_text="Unified Social Credit Code (GB 32100-2015).")
    verification_status = serializers.ChoiceField(choices=Organisation.Verification.choices, read_only=True)
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rejection_reason = serializers.CharField(read_only=True)


class MyMembershipSerializer(serializers.Serializer[Membership]):
    organisation = OrganisationSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)


class InfluencerProfileSerializer(serializers.Serializer[InfluencerProfile]):
    public_id = serializers.UUIDField(read_only=True)
    stage_name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class RealNameRecordSerializer(serializers.Serializer[RealNameRecord]):
    """What anyone may see of a verification: never the number, its hash, the legal name or the date of birth."""

    user = serializers.UUIDField(source="user.public_id", read_only=True)
    document_type = serializers.ChoiceField(choices=RealNameRecord.DocumentType.choices, read_only=True)
    id_number_last4 = serializers.CharField(read_only=True)
    method = serializers.ChoiceField(choices=RealNameRecord.Method.choices, read_only=True)
    verified_at = serializers.DateTimeField(read_only=True)
    is_adult = serializers.SerializerMethodField()

    def get_is_adult(self, record: RealNameRecord) -> bool:
        return is_adult(record, timezone.localdate())


class RealNameStatusSerializer(serializers.Serializer[RealNameRecord]):
    verified = serializers.BooleanField(read_only=True)
    method = serializers.CharField(read_only=True, allow_null=True)
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_adult = serializers.BooleanField(read_only=True, allow_null=True)


class MeSerializer(serializers.Serializer[User]):
    public_id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    is_staff = serializers.BooleanField(read_only=True)
    is_platform_auditor = serializers.BooleanField(read_only=True)
    memberships = MyMembershipSerializer(many=True, read_only=True)
    influencer = InfluencerProfileSerializer(read_only=True, allow_null=True)
    real_name = RealNameStatusSerializer(read_only=True)


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(read_only=True, help_text="Shown once: only its digest is stored.")
    id = serializers.UUIDField(read_only=True, help_text="The token's id, to revoke it later.")
    expires_at = serializers.DateTimeField(read_only=True)
    user = UserSummarySerializer(read_only=True)


class ApiTokenSerializer(serializers.Serializer[Any]):
    """A token as its owner sees it in the list: never the key, only its first characters."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    prefix = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)
    current = serializers.SerializerMethodField(help_text="True for the token this request was made with.")

    def get_current(self, token: Any) -> bool:
        return bool(self.context.get("current") == token.pk)


# Input ------------------------------------------------------------------------------------------------------


class TokenCreateInputSerializer(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class OrganisationCreateInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80)


class OrganisationUpdateInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)


class InvitationCreateInputSerializer(StrictSerializer):
    email = serializers.EmailField(
        help_text="The address to invite. Whether it has an account is never looked up: the answer is the same."
    )
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class LegalEntityInputSerializer(StrictSerializer):
    legal_name = serializers.CharField(max_length=200, help_text="The legal name, as on the business licence.")
    uscc = serializers.CharField(
        max_length=40, help_text="The 18-character Unified Social Credit Code (GB 32100-2015); spaces are ignored."
    )


class BrandDecisionInputSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=[("verify", "verify"), ("reject", "reject")])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MemberUpdateInputSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class InfluencerCreateInputSerializer(StrictSerializer):
    stage_name = serializers.CharField(max_length=150)


class RealNameRecordCreateInputSerializer(StrictSerializer):
    user = serializers.UUIDField(help_text="public_id of the person verified.")
    legal_name = serializers.CharField(max_length=200)
    document_type = serializers.ChoiceField(
        choices=RealNameRecord.DocumentType.choices, default=RealNameRecord.DocumentType.PRC_RESIDENT_ID
    )
    id_number = serializers.CharField(max_length=40, write_only=True)
    date_of_birth = serializers.DateField()
    method = serializers.ChoiceField(choices=RealNameRecord.Method.choices)
