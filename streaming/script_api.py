"""Script API views: parse, call a service or selector, serialize. Routes in streaming/api_urls.py.

Who may do what: the brand's owners and editors write scripts (create, generate, save versions); owners and
reviewers approve, with their passkey; owners, editors and operators render an approved version; every member,
platform staff and platform auditors read; anyone else meets 404 for the brand's ids. Approval is two calls, as
consent signing: options (the document to sign and WebAuthn options whose challenge is its SHA-256), then the
assertion.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import DenyAuditorWrites
from accounts.selectors import get_visible_organisation
from common.api import DomainError
from common.serializers import StrictSerializer
from consent import passkeys
from streaming import script_selectors as selectors
from streaming import scripts as services
from streaming.models import Script, ScriptVersion

PERMISSIONS: tuple[type[BasePermission], ...] = (IsAuthenticated, DenyAuditorWrites)
MAX_LIST = 200


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class LineSerializer(StrictSerializer):
    id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    text = serializers.CharField(max_length=5000, trim_whitespace=False)
    language = serializers.CharField(max_length=16, required=False)
    intent = serializers.CharField(max_length=32, required=False)
    product_ids = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=10)


class ScriptCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    language = serializers.ChoiceField(choices=services.LANGUAGES)
    avatar = serializers.UUIDField(required=False, allow_null=True)
    lines = LineSerializer(many=True, allow_empty=False)


class ScriptGenerateSerializer(StrictSerializer):
    product_ids = serializers.ListField(child=serializers.CharField(max_length=64), allow_empty=False, max_length=20)
    language = serializers.ChoiceField(choices=services.LANGUAGES)
    backend = serializers.ChoiceField(choices=("builtin", "llm"), default="builtin")
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    avatar = serializers.UUIDField(required=False, allow_null=True)


class VersionSaveSerializer(StrictSerializer):
    base_number = serializers.IntegerField(min_value=1)
    lines = LineSerializer(many=True, allow_empty=False)


class ApprovalOptionsSerializer(StrictSerializer):
    expected_sha256 = serializers.RegexField(r"^[0-9a-f]{64}$")
    overrides = serializers.DictField(child=serializers.CharField(max_length=2000, allow_blank=True), required=False)


class ApprovalSerializer(ApprovalOptionsSerializer):
    credential = serializers.DictField()


class RenderSerializer(StrictSerializer):
    avatar = serializers.UUIDField()
    purpose = serializers.CharField(max_length=64)
    platform = serializers.CharField(max_length=64)
    resolution = serializers.CharField(max_length=16, default="720p")
    fps = serializers.IntegerField(default=30)
    engine = serializers.CharField(max_length=32, default="viseme-warp")
    label_languages = serializers.CharField(max_length=16, default="zh+en")
    rhythm_label = serializers.BooleanField(default=False)
    # The voice: checked by render (render/voices.py), 400 with a sentence.
    tts_backend = serializers.CharField(max_length=32, required=False)
    voice = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True)
    voice_rate = serializers.FloatField(required=False, default=1.0)
    voice_pitch = serializers.FloatField(required=False, default=1.0)


def approval_data(version: ScriptVersion) -> dict[str, Any] | None:
    approval = selectors.approval_of(version)
    if approval is None:
        return None
    return {
        "id": str(approval.public_id),
        "reviewer": {"id": str(approval.reviewer.public_id), "name": approval.reviewer.display_name},
        "document_sha256": approval.document_sha256,
        "overrides": approval.overrides,
        "credential_id": approval.credential_id,
        "created_at": approval.created_at.isoformat(),
    }


def version_data(version: ScriptVersion, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(version.public_id),
        "number": version.number,
        "sha256": version.sha256,
        "source": version.source,
        "rules_version": version.rules_version,
        "blocking_count": version.blocking_count,
        "finding_count": len(version.findings),
        "created_by": str(version.created_by.public_id) if version.created_by else None,
        "created_at": version.created_at.isoformat(),
        "approval": approval_data(version),
    }
    if full:
        data.update({"lines": version.lines, "findings": version.findings, "canonical": version.canonical})
    return data


def script_data(script: Script, *, versions: bool = False) -> dict[str, Any]:
    latest = services.latest_version(script)
    data: dict[str, Any] = {
        "id": str(script.public_id),
        "brand": str(script.organisation.public_id),
        "title": script.title,
        "language": script.language,
        "avatar": str(script.avatar.public_id) if script.avatar else None,
        "created_at": script.created_at.isoformat(),
        "updated_at": script.updated_at.isoformat(),
        "latest": version_data(latest, full=versions),
    }
    if versions:
        data["versions"] = [version_data(v, full=False) for v in selectors.versions_of(script)]
    return data


def _avatar(brand: Any, avatar_id: Any) -> Any:
    if not avatar_id:
        return None
    from render.models import Avatar

    avatar = Avatar.objects.filter(public_id=avatar_id, brand=brand).first()
    if avatar is None:
        raise DomainError("No such avatar for this brand.", code="avatar_not_found", status_code=404)
    return avatar


def _writer(request: Request, organisation_id: int) -> None:
    if not services.can_write_scripts(_user(request), organisation_id):
        raise DomainError(
            "Only the brand's owners and editors may write its scripts.", code="permission_denied", status_code=403
        )


class BrandScriptListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        scripts = selectors.list_scripts_for(_user(request), organisation=brand)[:MAX_LIST]
        return Response([script_data(s) for s in scripts])

    @extend_schema(request=ScriptCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        _writer(request, brand.pk)
        data = ScriptCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        script = services.create_script(
            organisation=brand,
            actor=_user(request),
            title=values["title"],
            language=values["language"],
            lines=[dict(line) for line in values["lines"]],
            avatar=_avatar(brand, values.get("avatar")),
        )
        return Response(script_data(script, versions=True), status=status.HTTP_201_CREATED)


class BrandScriptGenerateView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=ScriptGenerateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        _writer(request, brand.pk)
        data = ScriptGenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        script = services.generate_script_draft(
            organisation=brand,
            actor=_user(request),
            product_ids=list(values["product_ids"]),
            language=values["language"],
            backend=values["backend"],
            seed=values.get("seed"),
            title=values.get("title", ""),
            avatar=_avatar(brand, values.get("avatar")),
        )
        return Response(script_data(script, versions=True), status=status.HTTP_201_CREATED)


class ScriptDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, script_id: str) -> Response:
        script = selectors.get_visible_script(_user(request), script_id)
        return Response(script_data(script, versions=True))


class ScriptVersionListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=VersionSaveSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, script_id: str) -> Response:
        script = selectors.get_visible_script(_user(request), script_id)
        _writer(request, script.organisation_id)
        data = VersionSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.save_script_version(
            script=script,
            actor=_user(request),
            lines=[dict(line) for line in data.validated_data["lines"]],
            base_number=data.validated_data["base_number"],
        )
        return Response(version_data(version), status=status.HTTP_201_CREATED)


class ScriptVersionDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, script_id: str, version_id: str) -> Response:
        script = selectors.get_visible_script(_user(request), script_id)
        version = selectors.get_version(script, version_id)
        latest = services.latest_version(script)
        return Response(
            {
                **version_data(version),
                "is_latest": latest.pk == version.pk,
                "diff": selectors.diff_from_last_approved(version),
            }
        )


class ScriptApprovalOptionsView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=ApprovalOptionsSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, script_id: str, version_id: str) -> Response:
        script = selectors.get_visible_script(_user(request), script_id)
        version = selectors.get_version(script, version_id)
        data = ApprovalOptionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        begun = services.begin_script_approval(
            version=version,
            reviewer=_user(request),
            expected_sha256=data.validated_data["expected_sha256"],
            overrides=dict(data.validated_data.get("overrides") or {}),
            rp=passkeys.relying_party(request),
        )
        return Response(begun)


class ScriptApprovalView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=ApprovalSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, script_id: str, version_id: str) -> Response:
        script = selectors.get_visible_script(_user(request), script_id)
        version = selectors.get_version(script, version_id)
        data = ApprovalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.approve_script_version(
            version=version,
            reviewer=_user(request),
            expected_sha256=data.validated_data["expected_sha256"],
            overrides=dict(data.validated_data.get("overrides") or {}),
            credential=dict(data.validated_data["credential"]),
            rp=passkeys.relying_party(request),
        )
        return Response(version_data(version), status=status.HTTP_201_CREATED)


class ScriptRenderView(APIView):
    """Submit a render job that speaks this (approved) version: render.jobs.submit_render_job."""

    permission_classes = PERMISSIONS

    @extend_schema(request=RenderSerializer, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, script_id: str, version_id: str) -> Response:
        from render import selectors as render_selectors
        from render.models import Avatar
        from render.script_source import script_source
        from render.serializers import RenderJobSerializer
        from render.services import submit_render_job

        script = selectors.get_visible_script(_user(request), script_id)
        version = selectors.get_version(script, version_id)
        if not render_selectors.can_write(_user(request), script.organisation_id):
            # Rendering is render's write (owners, editors and operators), not a script edit.
            raise DomainError(
                "Only the brand's owners, editors and operators may render.", code="permission_denied", status_code=403
            )
        data = RenderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        avatar = Avatar.objects.filter(public_id=values.pop("avatar"), brand=script.organisation).first()
        if avatar is None:
            raise DomainError("No such avatar for this brand.", code="avatar_not_found", status_code=404)
        approved = script_source().resolve(organisation=script.organisation, version_id=str(version.public_id))
        job = submit_render_job(avatar=avatar, actor=_user(request), script=approved, **values)
        return Response(RenderJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
