"""The impact-assessment API (/api/v1/compliance/...): an influencer's assessments, read by staff, platform auditors
and the influencer herself; written and approved by platform staff only. Views parse, call compliance.assessments
and serialize. An influencer the caller may not read is 404 (her existence is not confirmed)."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import InfluencerProfile
from common.api import DomainError
from compliance import assessments
from compliance.models import ImpactAssessment

ERROR = OpenApiResponse(description="An error: `{code, message}`.")
TAGS = ["compliance"]


class AssessmentSerializer(serializers.ModelSerializer[ImpactAssessment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    influencer = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = ImpactAssessment
        fields = (
            "id",
            "influencer",
            "status",
            "purpose_codes",
            "modalities",
            "purposes",
            "data_categories",
            "necessity",
            "impact",
            "measures",
            "sha256",
            "retention_class",
            "retain_until",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
        )
        read_only_fields = fields

    def get_influencer(self, obj: ImpactAssessment) -> str | None:
        return str(obj.influencer.public_id) if obj.influencer else None

    def get_created_by(self, obj: ImpactAssessment) -> str:
        return obj.created_by.display_name or obj.created_by.email

    def get_approved_by(self, obj: ImpactAssessment) -> str | None:
        return (obj.approved_by.display_name or obj.approved_by.email) if obj.approved_by else None


class AssessmentInputSerializer(serializers.Serializer[dict[str, Any]]):
    purpose_codes = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=10)
    modalities = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=10)
    purposes = serializers.CharField(max_length=assessments.MAX_FIELD)
    data_categories = serializers.CharField(max_length=assessments.MAX_FIELD)
    necessity = serializers.CharField(max_length=assessments.MAX_FIELD)
    impact = serializers.CharField(max_length=assessments.MAX_FIELD)
    measures = serializers.CharField(max_length=assessments.MAX_FIELD)


def readable_influencer(request: Request, public_id: uuid.UUID) -> InfluencerProfile:
    influencer = InfluencerProfile.objects.filter(public_id=public_id).first()
    if influencer is None or not assessments.may_read(request.user, influencer):
        raise DomainError("No such influencer.", code="not_found", status_code=404)
    return influencer


class InfluencerAssessmentListView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_compliance_influencer_assessments_list",
        responses={200: AssessmentSerializer(many=True), 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, influencer_id: uuid.UUID) -> Response:
        influencer = readable_influencer(request, influencer_id)
        rows = assessments.assessments_for(influencer)[:100]
        return Response(AssessmentSerializer(rows, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_compliance_influencer_assessments_create",
        request=AssessmentInputSerializer,
        responses={
            201: AssessmentSerializer,
            400: OpenApiResponse(description="A missing or unknown field (`purpose_codes_unknown`, …)."),
            401: ERROR,
            403: OpenApiResponse(description="`staff_required`: only platform staff write assessments."),
            404: ERROR,
        },
    )
    def post(self, request: Request, influencer_id: uuid.UUID) -> Response:
        influencer = readable_influencer(request, influencer_id)
        if not assessments.may_assess(request.user):
            raise DomainError(
                "Only platform staff write and approve impact assessments.", code="staff_required", status_code=403
            )
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = assessments.save_influencer_assessment(
            influencer=influencer,
            actor=request.user,  # type: ignore[arg-type]
            values=dict(data.validated_data),
        )
        return Response(AssessmentSerializer(created).data, status=201)


def _readable_assessment(request: Request, public_id: uuid.UUID) -> ImpactAssessment:
    found = ImpactAssessment.objects.filter(public_id=public_id, influencer__isnull=False).select_related(
        "influencer", "created_by", "approved_by"
    )
    assessment = found.first()
    if (
        assessment is None
        or assessment.influencer is None
        or not assessments.may_read(request.user, assessment.influencer)
    ):
        raise DomainError("No such assessment.", code="not_found", status_code=404)
    return assessment


class AssessmentDetailView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_compliance_assessments_retrieve",
        responses={200: AssessmentSerializer, 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, assessment_id: uuid.UUID) -> Response:
        return Response(AssessmentSerializer(_readable_assessment(request, assessment_id)).data)


class AssessmentApproveView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_compliance_assessments_approve",
        request=None,
        responses={
            200: AssessmentSerializer,
            401: ERROR,
            403: OpenApiResponse(description="`staff_required`: only platform staff approve assessments."),
            404: ERROR,
            409: OpenApiResponse(description="`already_approved`."),
        },
    )
    def post(self, request: Request, assessment_id: uuid.UUID) -> Response:
        assessment = _readable_assessment(request, assessment_id)
        approved = assessments.approve_influencer_assessment(
            assessment=assessment,
            actor=request.user,  # type: ignore[arg-type]
        )
        return Response(AssessmentSerializer(approved).data)
