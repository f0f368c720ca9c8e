"""Consent API views: parse, call a service or selector, serialize. URL map in consent/api_urls.py."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation, User
from accounts.permissions import DenyAuditorWrites, IsConsentReviewer, IsPlatformStaff
from accounts.selectors import get_influencer_profile, get_visible_organisation, list_verified_brands
from accounts.serializers import BrandSerializer
from common.api import DomainError
from common.safejson import SafeJSONParser
from consent import passkeys, selectors, services
from consent.models import ConsentTemplate
from consent.serializers import (
    ApiKeySerializer,
    BrandGrantSerializer,
    GrantCreateSerializer,
    GrantSerializer,
    PasskeyRegistrationSerializer,
    ReviewInputSerializer,
    SampleUploadSerializer,
    SignatureInputSerializer,
    StatementUploadSerializer,
    TemplateInputSerializer,
    TemplateReviseSerializer,
    TemplateSerializer,
)

STATEMENT_MAX_BYTES = int(getattr(settings, "CONSENT_STATEMENT_MAX_BYTES", 64 * 1024 * 1024))
SAMPLE_MAX_BYTES = int(getattr(settings, "CONSENT_SAMPLE_MAX_BYTES", 512 * 1024 * 1024))
WRITE: tuple[type[BasePermission], ...] = (IsAuthenticated, DenyAuditorWrites)
STAFF: tuple[type[BasePermission], ...] = (IsAuthenticated, IsPlatformStaff)
REVIEWERS: tuple[type[BasePermission], ...] = (IsAuthenticated, IsConsentReviewer)


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class _InMemoryUpload(MemoryFileUploadHandler):
    """Keep uploaded video in memory whatever its size (the view has bounded it): biometric plaintext never goes
    to a temporary file."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        super().handle_raw_input(*args, **kwargs)
        self.activated = True


class _UploadView(APIView):
    """Multipart uploads with their own body limit; the site-wide limit stays small for every other endpoint."""

    parser_classes = (MultiPartParser,)
    permission_classes = WRITE
    max_bytes = STATEMENT_MAX_BYTES

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication: with a browser session, SessionAuthentication's CSRF check reads request.POST, which
        # parses the upload. So the size is bounded and the in-memory handler set before anything reads the body
        # (setting handlers afterwards raised AttributeError, a 500, for every upload from the portal).
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_bytes:
            raise DomainError(
                f"The upload is larger than {self.max_bytes} bytes.", code="request_too_large", status_code=413
            )
        django_request: HttpRequest = request._request
        django_request.upload_handlers = [_InMemoryUpload(django_request)]
        super().initial(request, *args, **kwargs)
        if length <= 0:
            raise DomainError("Send the video as multipart/form-data.", code="length_required", status_code=411)


# Templates -----------------------------------------------------------------------------------------------------


class TemplateListView(APIView):
    permission_classes = WRITE

    @extend_schema(responses=TemplateSerializer(many=True))
    def get(self, request: Request) -> Response:
        templates = selectors.list_templates(user=_user(request), language=request.query_params.get("language"))
        return Response(TemplateSerializer(templates, many=True).data)

    @extend_schema(request=TemplateInputSerializer, responses={201: TemplateSerializer})
    def post(self, request: Request) -> Response:
        if not _user(request).is_staff:
            raise DomainError("Only platform staff may write consent texts.", code="staff_required", status_code=403)
        data = TemplateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.create_template(actor=_user(request), **data.validated_data)
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class TemplatePublishView(APIView):
    permission_classes = STAFF

    @extend_schema(request=None, responses=TemplateSerializer)
    def post(self, request: Request, template_id: str) -> Response:
        template = selectors.get_template(_user(request), template_id)
        template = services.publish_template(template=template, actor=_user(request))
        return Response(TemplateSerializer(template).data)


class TemplateReviseView(APIView):
    permission_classes = STAFF

    @extend_schema(request=TemplateReviseSerializer, responses={200: TemplateSerializer, 201: TemplateSerializer})
    def post(self, request: Request, template_id: str) -> Response:
        template = selectors.get_template(_user(request), template_id)
        data = TemplateReviseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revised = services.revise_template(template=template, actor=_user(request), **data.validated_data)
        code = status.HTTP_201_CREATED if revised.pk != template.pk else status.HTTP_200_OK
        return Response(TemplateSerializer(revised).data, status=code)


# Credentials ---------------------------------------------------------------------------------------------------


class PasskeyOptionsView(APIView):
    permission_classes = WRITE

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        options = services.begin_passkey_registration(user=_user(request), rp=passkeys.relying_party(request))
        return Response(options)


class PasskeyRegisterView(APIView):
    permission_classes = WRITE

    @extend_schema(request=PasskeyRegistrationSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = PasskeyRegistrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = services.finish_passkey_registration(
            user=_user(request),
            rp=passkeys.relying_party(request),
            credential=data.validated_data["credential"],
            label=data.validated_data.get("name", ""),
        )
        return Response({"id": str(credential.public_id), "name": credential.label}, status=status.HTTP_201_CREATED)


class ApiKeyView(APIView):
    permission_classes = WRITE

    @extend_schema(request=ApiKeySerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = ApiKeySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            raw = base64.b64decode(data.validated_data["public_key"], validate=True)
        except (binascii.Error, ValueError):
            raise DomainError("The public key is not base64.", code="invalid_public_key", status_code=400) from None
        key = services.register_api_signing_key(
            user=_user(request), public_key=raw, label=data.validated_data.get("name", "")
        )
        return Response({"key_id": key.key_id, "name": key.label}, status=status.HTTP_201_CREATED)


class SampleUploadView(_UploadView):
    max_bytes = SAMPLE_MAX_BYTES

    @extend_schema(request=SampleUploadSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = SampleUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["video"]
        obj = services.upload_sample(user=_user(request), video=upload.file, content_type=upload.content_type or "")
        return Response(
            {"id": str(obj.public_id), "sha256": obj.plaintext_sha256, "media": obj.media_info},
            status=status.HTTP_201_CREATED,
        )


# Grants --------------------------------------------------------------------------------------------------------


class GrantableBrandListView(APIView):
    """The brands a person may grant consent to: verified ones only, each with its legal name and USCC."""

    @extend_schema(operation_id="consent_brands_list", responses=BrandSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(BrandSerializer(list_verified_brands(), many=True).data)  # type: ignore[arg-type]


class GrantListView(APIView):
    permission_classes = WRITE
    parser_classes = (SafeJSONParser,)

    @extend_schema(operation_id="consent_grants_list", responses=GrantSerializer(many=True))
    def get(self, request: Request) -> Response:
        profile = get_influencer_profile(_user(request))
        if profile is not None:  # lapsed drafts are expired lazily, before anyone reads them
            services.expire_drafts(influencer=profile)
        grants = selectors.list_grants_for_influencer(_user(request))
        return Response(GrantSerializer(grants, many=True).data)

    @extend_schema(request=GrantCreateSerializer, responses={201: GrantSerializer})
    def post(self, request: Request) -> Response:
        data = GrantCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        template = ConsentTemplate.objects.filter(
            public_id=values["template"], status=ConsentTemplate.Status.PUBLISHED
        ).first()
        if template is None:
            raise DomainError("No such published consent text.", code="unknown_template", status_code=400)
        wanted = {str(b) for b in values["brands"]}
        brands = list(Organisation.objects.filter(public_id__in=wanted))
        if len(brands) != len(wanted):
            raise DomainError("One of the brands does not exist.", code="unknown_brand", status_code=400)
        grant = services.create_grant(
            user=_user(request),
            template=template,
            brands=brands,
            modalities=values["modalities"],
            purposes=values["purposes"],
            platforms=values["platforms"],
            valid_from=values["valid_from"],
            valid_until=values["valid_until"],
            hours_per_day=values.get("hours_per_day"),
            excluded_product_categories=values.get("excluded_product_categories", []),
        )
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)


class GrantDetailView(APIView):
    @extend_schema(operation_id="consent_grants_detail", responses=GrantSerializer)
    def get(self, request: Request, grant_id: str) -> Response:
        profile = get_influencer_profile(_user(request))
        if profile is not None:
            services.expire_drafts(influencer=profile)
        return Response(GrantSerializer(selectors.get_visible_grant(_user(request), grant_id)).data)


class StatementChallengeView(APIView):
    permission_classes = WRITE

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_influencer(_user(request), grant_id)
        challenge, code = services.issue_statement_challenge(grant=grant, user=_user(request))
        return Response(
            {
                "challenge": str(challenge.public_id),
                "code": code,
                "expires_at": challenge.expires_at,
                "sentence": selectors.statement_sentence(grant, code),
                # Shown one at a time while recording, each in its window (seconds from the start of the recording).
                "actions": selectors.statement_actions(challenge),
            },
            status=status.HTTP_201_CREATED,
        )


class StatementUploadView(_UploadView):
    max_bytes = STATEMENT_MAX_BYTES

    @extend_schema(request=StatementUploadSerializer, responses=GrantSerializer)
    def post(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_influencer(_user(request), grant_id)
        data = StatementUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["video"]
        grant = services.submit_statement(
            grant=grant,
            user=_user(request),
            challenge_id=str(data.validated_data["challenge"]),
            code=data.validated_data.get("code", "").strip(),
            video=upload.file,
            content_type=upload.content_type or "",
        )
        return Response(GrantSerializer(grant).data)


def _assertion_options(request: Request, challenge: bytes) -> dict[str, Any]:
    """WebAuthn request options for `challenge`, allowing any of the caller's passkeys."""
    return passkeys.assertion_options(
        rp=passkeys.relying_party(request),
        challenge=challenge,
        credential_ids=selectors.passkey_ids_for(_user(request)),
    )


def _signature_input(request: Request) -> dict[str, Any]:
    """The signature arguments shared by signing and revoking: a passkey assertion or an Ed25519 signature."""
    data = SignatureInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return {
        "rp": passkeys.relying_party(request),
        "webauthn_assertion": data.validated_data.get("webauthn"),
        "ed25519_key_id": data.validated_data.get("ed25519_key_id"),
        "ed25519_signature": data.validated_data.get("ed25519_signature"),
    }


class SignOptionsView(APIView):
    """The WebAuthn request options whose challenge is SHA-256 of this grant's scope document."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_influencer(_user(request), grant_id)
        from consent.scope import challenge_for

        options = _assertion_options(request, challenge_for(grant.scope_canonical))
        from consent.review_notice import review_reasons
        from consent.summary import scope_summary

        return Response(
            {
                "document": grant.scope_canonical,
                "sha256": grant.scope_sha256,
                "publicKey": options,
                # For people: the scope as a sentence and, when the identity check did not pass, why (the page's
                # language; the document above is what is signed).
                "summary": scope_summary(grant.scope),
                "review_reasons": review_reasons(grant),
            }
        )


class SignView(APIView):
    permission_classes = WRITE

    @extend_schema(request=SignatureInputSerializer, responses=GrantSerializer)
    def post(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_influencer(_user(request), grant_id)
        grant = services.sign_grant(grant=grant, user=_user(request), **_signature_input(request))
        return Response(GrantSerializer(grant).data)


class RevokeOptionsView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_influencer(_user(request), grant_id)
        document, challenge = services.revocation_challenge(grant)
        return Response({"document": document, "publicKey": _assertion_options(request, challenge)})


class RevokeView(APIView):
    permission_classes = WRITE

    @extend_schema(request=SignatureInputSerializer, responses=GrantSerializer)
    def post(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_influencer(_user(request), grant_id)
        grant = services.revoke_consent(grant=grant, actor=_user(request), **_signature_input(request))
        return Response(GrantSerializer(grant).data)


class UseRefusalListView(APIView):
    """The gate's detailed reasons for refused uses of the caller's likeness (brands were told no_consent_for_you)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        profile = get_influencer_profile(_user(request))
        if profile is None:
            raise DomainError("Only influencers can do this.", code="not_an_influencer", status_code=403)
        refusals = selectors.list_use_refusals(influencer=profile)
        return Response([{**row, "at": row["at"].isoformat()} for row in refusals])


class DiscardView(APIView):
    """The influencer throws away an unsigned draft (no signature needed: nothing was agreed yet)."""

    permission_classes = WRITE

    @extend_schema(request=None, responses=GrantSerializer)
    def post(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_influencer(_user(request), grant_id)
        grant = services.discard_draft(grant=grant, actor=_user(request))
        return Response(GrantSerializer(grant).data)


class ReceiptView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_visible_grant(_user(request), grant_id)
        response = Response(selectors.build_receipt(grant))
        response["Content-Disposition"] = f'inline; filename="consent-receipt-{grant.public_id}.json"'
        return response


# Brands and staff ----------------------------------------------------------------------------------------------


class BrandGrantListView(APIView):
    """Consents naming this brand, for its members (and platform readers); a 404 for everyone else."""

    @extend_schema(responses=BrandGrantSerializer(many=True))
    def get(self, request: Request, organisation_id: str) -> Response:
        organisation = get_visible_organisation(_user(request), organisation_id)
        grants = selectors.list_grants_for_brand(organisation)
        return Response(BrandGrantSerializer(grants, many=True).data)


class ReviewQueueView(APIView):
    permission_classes = REVIEWERS

    @extend_schema(responses=GrantSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(GrantSerializer(selectors.list_review_queue(), many=True).data)


class ReviewView(APIView):
    permission_classes = REVIEWERS

    @extend_schema(request=ReviewInputSerializer, responses=GrantSerializer)
    def post(self, request: Request, grant_id: str) -> Response:
        grant = selectors.get_grant_for_staff(_user(request), grant_id)
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.review_grant(grant=grant, reviewer=_user(request), **data.validated_data)
        return Response(GrantSerializer(grant).data)
