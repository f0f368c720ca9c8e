"""Auditor export API (/api/v1/ledger/exports/...): ask for a bundle, watch its progress, download it.

Views parse, call audit.exports and serialize. Reading is open to auditors of an organisation (their
organisations' exports), platform auditors and staff; asking is refused (403, ledgered) outside that scope.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit import export_selectors, exports
from audit.models import AuditExport
from common.serializers import StrictSerializer

TAGS = ["ledger"]
ERROR = OpenApiResponse(description="An error: `{code, message}`.")


class CanExport(BasePermission):
    message = "Exports are open to auditors of an organisation and to platform staff."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return export_selectors.may_export(request.user)


class ExportRequestSerializer(StrictSerializer):
    organisation = serializers.SlugField(max_length=80, help_text="The organisation's slug.")
    subject = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="One ledger chain, e.g. render_job:<id>."
    )
    influencer = serializers.UUIDField(required=False, allow_null=True, help_text="Only this influencer's records.")
    since = serializers.DateTimeField(required=False, allow_null=True)
    until = serializers.DateTimeField(required=False, allow_null=True)
    include_media = serializers.BooleanField(required=False, default=False, help_text="Add the segment files.")


class ExportSerializer(serializers.ModelSerializer[AuditExport]):
    organisation = serializers.SerializerMethodField(help_text="The organisation's slug.")
    influencer = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="A link that works for the caller for a limited time (null until the bundle is ready)."
    )
    download_expires_in = serializers.SerializerMethodField(help_text="Seconds the download link stays valid.")

    class Meta:
        model = AuditExport
        fields: ClassVar = [
            "public_id",
            "organisation",
            "subject",
            "influencer",
            "since",
            "until",
            "include_media",
            "status",
            "status_display",
            "progress",
            "sha256",
            "size",
            "event_count",
            "error_message",
            "created_at",
            "finished_at",
            "download_url",
            "download_expires_in",
        ]

    def get_organisation(self, export: AuditExport) -> str:
        return export.organisation.slug

    def get_influencer(self, export: AuditExport) -> str | None:
        return str(export.influencer.public_id) if export.influencer else None

    def get_download_url(self, export: AuditExport) -> str | None:
        request = self.context.get("request")
        if request is None or export.status != AuditExport.Status.DONE:
            return None
        token = exports.download_token(export=export, user=request.user)
        return reverse("ledger:ledger-export-download", args=[export.public_id]) + f"?token={token}"

    def get_download_expires_in(self, export: AuditExport) -> int | None:
        return exports.link_ttl_seconds() if export.status == AuditExport.Status.DONE else None


class ExportListView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_exports_list",
        responses={200: ExportSerializer(many=True), 401: ERROR, 403: ERROR},
    )
    def get(self, request: Request) -> Response:
        if not export_selectors.may_export(request.user):
            self.permission_denied(request, message=CanExport.message, code="permission_denied")
        rows = export_selectors.list_exports_for(request.user)[:100]
        return Response(ExportSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_exports_create",
        request=ExportRequestSerializer,
        responses={
            202: ExportSerializer,
            400: ERROR,
            401: ERROR,
            403: OpenApiResponse(description="Outside the caller's scope (the refusal is ledgered)."),
        },
    )
    def post(self, request: Request) -> Response:
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        export = exports.request_export(
            user=request.user,  # type: ignore[arg-type]
            organisation=values["organisation"],
            subject=values.get("subject") or "",
            influencer=str(values["influencer"]) if values.get("influencer") else None,
            since=values.get("since"),
            until=values.get("until"),
            include_media=values.get("include_media", False),
        )
        export.refresh_from_db()
        return Response(ExportSerializer(export, context={"request": request}).data, status=202)


class ExportDetailView(APIView):
    permission_classes = (IsAuthenticated, CanExport)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_exports_retrieve",
        responses={200: ExportSerializer, 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, export_id: str) -> Response:
        export = export_selectors.get_visible_export(request.user, export_id)
        return Response(ExportSerializer(export, context={"request": request}).data)


class ExportDownloadView(APIView):
    permission_classes = (IsAuthenticated, CanExport)

    @extend_schema(
        tags=TAGS,
        operation_id="v1_ledger_exports_download",
        parameters=[OpenApiParameter("token", OpenApiTypes.STR, required=True, description="From download_url.")],
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            401: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
            410: OpenApiResponse(description="`link_expired`: the link is too old; read the export again."),
        },
    )
    def get(self, request: Request, export_id: str) -> FileResponse:
        export = exports.export_for_download(
            user=request.user,  # type: ignore[arg-type]
            public_id=export_id,
            token=request.query_params.get("token", ""),
        )
        return FileResponse(
            Path(export.file_name).open("rb"),
            as_attachment=True,
            filename=f"veracast-audit-{export.organisation.slug}-{export.public_id}.zip",
            content_type="application/zip",
        )
