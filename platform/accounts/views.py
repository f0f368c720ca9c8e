"""Accounts API: tokens, me, organisations and members, influencer profiles, real-name records.

Views parse with an input serializer, call a service or selector, and serialize the result. Anything under an
organisation is resolved with `get_visible_organisation`, so another tenant's ids answer 404, never 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import lockout, selectors, services, tokens
from accounts.models import ApiToken, Membership, Organisation, User
from accounts.permissions import DEFAULTS, IsPlatformStaff, org_roles
from accounts.serializers import (
    ApiTokenSerializer,
    InfluencerCreateInputSerializer,
    InfluencerProfileSerializer,
    MemberSerializer,
    MemberUpdateInputSerializer,
    MeSerializer,
    OrganisationCreateInputSerializer,
    OrganisationSerializer,
    OrganisationUpdateInputSerializer,
    RealNameRecordCreateInputSerializer,
    RealNameRecordSerializer,
    TokenCreateInputSerializer,
    TokenSerializer,
)
from common.api import DomainError

ERROR = OpenApiResponse(description="An error: `{code, message}` (validation errors add `errors`).")
TAGS = ["accounts"]


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # every view here but the token login requires authentication
    return user


class TokenView(APIView):
    """Log in with email and password to get an API token; DELETE it to log out.

    Failed logins count towards the per-account and per-IP lock-out (django-axes, `accounts.lockout`); a locked-out
    account or IP gets 429 `too_many_attempts`, even with the right password.
    """

    def _is_login(self) -> bool:
        # `request` is None when drf-spectacular builds the view to describe it.
        request = getattr(self, "request", None)
        return request is not None and request.method == "POST"

    def get_permissions(self) -> list[BasePermission]:
        # Logging in needs no authentication; logging out needs it (auditors may log out too).
        if self._is_login():
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_authenticators(self) -> list[Any]:
        # A stale session or token must not stop someone from logging in again.
        if self._is_login():
            return []
        return super().get_authenticators()

    @extend_schema(
        tags=TAGS,
        request=TokenCreateInputSerializer,
        responses={200: TokenSerializer, 400: ERROR, 429: ERROR},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, email=data.validated_data["email"].lower(), password=data.validated_data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            raise DomainError(lockout.message(), code=lockout.CODE, status_code=429)
        if user is None or not user.is_active:
            raise DomainError("The email address or password is wrong.", code="invalid_credentials", status_code=400)
        token, key = tokens.issue_api_token(user=user)
        body = {"token": key, "id": token.public_id, "expires_at": token.expires_at, "user": user}
        return Response(TokenSerializer(body).data)

    @extend_schema(tags=TAGS, request=None, responses={204: None, 401: ERROR})
    def delete(self, request: Request) -> Response:
        # Token-authenticated: that token ends. With a browser session: every API token of the person ends.
        user = _user(request)
        current = request.auth if isinstance(request.auth, ApiToken) else None
        chosen = ApiToken.objects.filter(pk=current.pk) if current else ApiToken.objects.filter(user=user)
        tokens.revoke_api_tokens(user=user, tokens=chosen, reason="logout")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """My API tokens that still work (never their keys)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(tags=TAGS, responses={200: ApiTokenSerializer(many=True), 401: ERROR})
    def get(self, request: Request) -> Response:
        current = request.auth.pk if isinstance(request.auth, ApiToken) else None
        rows = tokens.list_api_tokens_for(_user(request))
        return Response(ApiTokenSerializer(rows, many=True, context={"current": current}).data)


class TokenDetailView(APIView):
    """Revoke one of my API tokens (someone else's answers 404). Auditors may revoke their own tokens too."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(tags=TAGS, request=None, responses={204: None, 401: ERROR, 404: ERROR})
    def delete(self, request: Request, public_id: UUID) -> Response:
        user = _user(request)
        token = tokens.get_api_token(user, public_id)
        if token is None:
            raise Http404("You have no such API token.")
        tokens.revoke_api_tokens(user=user, tokens=ApiToken.objects.filter(pk=token.pk), reason="revoked")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = DEFAULTS

    @extend_schema(tags=TAGS, responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        user = _user(request)
        record = selectors.get_real_name_record(user)
        real_name = {
            "verified": record is not None,
            "method": record.method if record else None,
            "verified_at": record.verified_at if record else None,
            "is_adult": selectors.is_adult(record, timezone.localdate()) if record else None,
        }
        memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("created_at")
        body: Any = {
            "public_id": user.public_id,
            "email": user.email,
            "display_name": user.display_name,
            "is_staff": user.is_staff,
            "is_platform_auditor": user.is_platform_auditor,
            "memberships": memberships,
            "influencer": selectors.get_influencer_profile(user),
            "real_name": real_name,
        }
        return Response(MeSerializer(body).data)


class OrganisationListView(GenericAPIView[Organisation]):
    """My organisations (every organisation for platform staff and auditors); POST creates a brand I own."""

    permission_classes = DEFAULTS
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.list_organisations_for(_user(self.request))

    @extend_schema(tags=TAGS, responses={200: OrganisationSerializer(many=True)})
    def get(self, request: Request) -> Response:
        page: Any = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OrganisationSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=OrganisationCreateInputSerializer,
        responses={201: OrganisationSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def post(self, request: Request) -> Response:
        data = OrganisationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _user(request)
        organisation = services.create_organisation(owner=user, **data.validated_data)
        organisation = selectors.get_visible_organisation(user, organisation.public_id)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetailView(APIView):
    """One organisation: members and platform readers see it; owners and editors rename it."""

    permission_classes = (*DEFAULTS, org_roles(Membership.Role.OWNER, Membership.Role.EDITOR))

    def get_object(self, public_id: UUID) -> Organisation:
        organisation = selectors.get_visible_organisation(_user(self.request), public_id)
        self.check_object_permissions(self.request, organisation)
        return organisation

    @extend_schema(tags=TAGS, responses={200: OrganisationSerializer, 404: ERROR})
    def get(self, request: Request, public_id: UUID) -> Response:
        return Response(OrganisationSerializer(self.get_object(public_id)).data)

    @extend_schema(
        tags=TAGS,
        request=OrganisationUpdateInputSerializer,
        responses={200: OrganisationSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def patch(self, request: Request, public_id: UUID) -> Response:
        organisation = self.get_object(public_id)
        data = OrganisationUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_organisation(organisation=organisation, actor=_user(request), **data.validated_data)
        return Response(OrganisationSerializer(organisation).data)


class MemberListView(GenericAPIView[Membership]):
    """Members of an organisation. Nobody is added here: owners invite (`invitations/`) and people accept."""

    permission_classes = (*DEFAULTS, org_roles(Membership.Role.OWNER))
    serializer_class = MemberSerializer

    def get_organisation(self, public_id: UUID) -> Organisation:
        organisation = selectors.get_visible_organisation(_user(self.request), public_id)
        self.check_object_permissions(self.request, organisation)
        return organisation

    @extend_schema(tags=TAGS, responses={200: MemberSerializer(many=True), 404: ERROR})
    def get(self, request: Request, public_id: UUID) -> Response:
        members = selectors.list_members(self.get_organisation(public_id))
        page: Any = self.paginate_queryset(members)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)


class MemberDetailView(APIView):
    """One member of an organisation: owners change their role or remove them."""

    permission_classes = (*DEFAULTS, org_roles(Membership.Role.OWNER))

    def get_member(self, public_id: UUID, user_public_id: UUID) -> Membership:
        organisation = selectors.get_visible_organisation(_user(self.request), public_id)
        self.check_object_permissions(self.request, organisation)
        return selectors.get_member(organisation, user_public_id)

    @extend_schema(
        tags=TAGS,
        request=MemberUpdateInputSerializer,
        responses={200: MemberSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def patch(self, request: Request, public_id: UUID, user_public_id: UUID) -> Response:
        member = self.get_member(public_id, user_public_id)
        data = MemberUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.set_membership(
            organisation=member.organisation, user=member.user, role=data.validated_data["role"], actor=_user(request)
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(tags=TAGS, request=None, responses={204: None, 403: ERROR, 404: ERROR, 409: ERROR})
    def delete(self, request: Request, public_id: UUID, user_public_id: UUID) -> Response:
        member = self.get_member(public_id, user_public_id)
        services.remove_membership(organisation=member.organisation, user=member.user, actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InfluencerCreateView(APIView):
    """Create my influencer profile (one per person)."""

    permission_classes = DEFAULTS

    @extend_schema(
        tags=TAGS,
        request=InfluencerCreateInputSerializer,
        responses={201: InfluencerProfileSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def post(self, request: Request) -> Response:
        data = InfluencerCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.create_influencer_profile(user=_user(request), **data.validated_data)
        return Response(InfluencerProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class InfluencerMeView(APIView):
    permission_classes = DEFAULTS

    @extend_schema(tags=TAGS, responses={200: InfluencerProfileSerializer, 404: ERROR})
    def get(self, request: Request) -> Response:
        profile = selectors.get_influencer_profile(_user(request))
        if profile is None:
            raise Http404("You have no influencer profile.")
        return Response(InfluencerProfileSerializer(profile).data)


class RealNameRecordCreateView(APIView):
    """Platform staff record a real-name verification. The answer never contains the number or its hash."""

    permission_classes = (*DEFAULTS, IsPlatformStaff)

    @extend_schema(
        tags=TAGS,
        request=RealNameRecordCreateInputSerializer,
        responses={201: RealNameRecordSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def post(self, request: Request) -> Response:
        data = RealNameRecordCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = selectors.get_user_by_public_id(fields.pop("user"))
        if person is None:
            raise DomainError("No user has this public_id.", code="unknown_user", status_code=400)
        record = services.record_real_name(user=person, verified_by=_user(request), **fields)
        return Response(RealNameRecordSerializer(record).data, status=status.HTTP_201_CREATED)
