"""Accounts API for joining organisations and verifying brands: invitations (owners invite, list and cancel; the
invitee lists, accepts and declines), the brand's legal entity (owners), and staff review of brands.

Views parse, call a service or selector, and serialize. Inviting answers 202 with the invitation whatever the
address: it never says whether the address has an account.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import brands, invitations, selectors
from accounts.models import Invitation, Membership, Organisation, User
from accounts.permissions import DEFAULTS, IsBrandVerifier, org_roles
from accounts.serializers import (
    BrandDecisionInputSerializer,
    BrandSerializer,
    InvitationCreateInputSerializer,
    InvitationSerializer,
    LegalEntityInputSerializer,
    MemberSerializer,
)

ERROR = OpenApiResponse(description="An error: `{code, message}` (validation errors add `errors`).")
TAGS = ["accounts"]
OWNERS = org_roles(Membership.Role.OWNER, read_roles=(Membership.Role.OWNER,))


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # every view here requires authentication
    return user


def _organisation(view: APIView, public_id: UUID) -> Organisation:
    """The organisation (404 for anyone who may not see it), after the view's object permissions on it."""
    organisation = selectors.get_visible_organisation(_user(view.request), public_id)
    view.check_object_permissions(view.request, organisation)
    return organisation


class InvitationListView(GenericAPIView[Invitation]):
    """An organisation's open invitations (owners); POST invites an e-mail address with a role."""

    permission_classes = (*DEFAULTS, OWNERS)
    serializer_class = InvitationSerializer

    @extend_schema(tags=TAGS, responses={200: InvitationSerializer(many=True), 403: ERROR, 404: ERROR})
    def get(self, request: Request, public_id: UUID) -> Response:
        pending = invitations.list_pending_invitations(_organisation(self, public_id))
        page: Any = self.paginate_queryset(pending)
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=InvitationCreateInputSerializer,
        responses={202: InvitationSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        organisation = _organisation(self, public_id)
        data = InvitationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitations.invite_member(organisation=organisation, actor=_user(request), **data.validated_data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED)


class InvitationDetailView(APIView):
    """One invitation of an organisation: owners cancel it while it is open."""

    permission_classes = (*DEFAULTS, OWNERS)

    @extend_schema(tags=TAGS, request=None, responses={204: None, 403: ERROR, 404: ERROR, 409: ERROR})
    def delete(self, request: Request, public_id: UUID, invitation_id: UUID) -> Response:
        invitation = invitations.get_invitation_of(_organisation(self, public_id), invitation_id)
        invitations.cancel_invitation(invitation=invitation, actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyInvitationListView(GenericAPIView[Invitation]):
    """Invitations addressed to my e-mail address that I can still accept or decline."""

    permission_classes = DEFAULTS
    serializer_class = InvitationSerializer

    @extend_schema(tags=TAGS, responses={200: InvitationSerializer(many=True)})
    def get(self, request: Request) -> Response:
        page: Any = self.paginate_queryset(invitations.list_open_invitations_for(_user(request)))
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)


class MyInvitationAcceptView(APIView):
    permission_classes = DEFAULTS

    @extend_schema(tags=TAGS, request=None, responses={201: MemberSerializer, 404: ERROR, 409: ERROR})
    def post(self, request: Request, invitation_id: UUID) -> Response:
        invitation = invitations.get_invitation_for_invitee(_user(request), invitation_id)
        membership = invitations.accept_invitation(invitation=invitation, user=_user(request))
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MyInvitationDeclineView(APIView):
    permission_classes = DEFAULTS

    @extend_schema(tags=TAGS, request=None, responses={200: InvitationSerializer, 404: ERROR, 409: ERROR})
    def post(self, request: Request, invitation_id: UUID) -> Response:
        invitation = invitations.get_invitation_for_invitee(_user(request), invitation_id)
        invitation = invitations.decline_invitation(invitation=invitation, user=_user(request))
        return Response(InvitationSerializer(invitation).data)


class LegalEntityView(APIView):
    """The brand's legal entity and verification status (members and platform readers); owners submit it."""

    permission_classes = (*DEFAULTS, org_roles(Membership.Role.OWNER))

    @extend_schema(tags=TAGS, responses={200: BrandSerializer, 404: ERROR})
    def get(self, request: Request, public_id: UUID) -> Response:
        return Response(BrandSerializer(_organisation(self, public_id)).data)

    @extend_schema(
        tags=TAGS,
        request=LegalEntityInputSerializer,
        responses={200: BrandSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def put(self, request: Request, public_id: UUID) -> Response:
        organisation = _organisation(self, public_id)
        data = LegalEntityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = brands.submit_legal_entity(
            organisation=organisation, actor=_user(request), **data.validated_data
        )
        return Response(BrandSerializer(organisation).data)


class BrandReviewQueueView(GenericAPIView[Organisation]):
    """Staff: brands waiting for their legal entity to be verified, oldest request first."""

    permission_classes = (*DEFAULTS, IsBrandVerifier)
    serializer_class = BrandSerializer

    @extend_schema(tags=TAGS, responses={200: BrandSerializer(many=True), 403: ERROR})
    def get(self, request: Request) -> Response:
        page: Any = self.paginate_queryset(selectors.list_brands_waiting_for_review())
        return self.get_paginated_response(BrandSerializer(page, many=True).data)


class BrandReviewView(APIView):
    """Staff verify a brand's legal entity, or reject it with a reason."""

    permission_classes = (*DEFAULTS, IsBrandVerifier)

    @extend_schema(
        tags=TAGS,
        request=BrandDecisionInputSerializer,
        responses={200: BrandSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        organisation = selectors.get_visible_organisation(_user(request), public_id)
        data = BrandDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["decision"] == "verify":
            organisation = brands.verify_organisation(organisation=organisation, actor=_user(request))
        else:
            organisation = brands.reject_organisation(
                organisation=organisation, actor=_user(request), reason=data.validated_data["reason"]
            )
        return Response(BrandSerializer(organisation).data)
