"""Render API views: parse, call a service or selector, serialize. URL map in render/api_urls.py.

Who may do what: members of the avatar's brand (any role), platform staff and platform auditors read; owners,
editors and operators of the brand create and change; auditors of the brand are refused every write (403);
anyone else meets 404 for the brand's ids. Segment files are served through these views only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import InfluencerProfile, User
from accounts.permissions import DenyAuditorWrites
from accounts.selectors import get_visible_organisation
from common.api import DomainError
from consent.models import ConsentGrant
from render import selectors, services
from render.models import Avatar, RenderJob, ShortVideo
from render.request_keys import IDEMPOTENCY_PARAMETER, header_request_key
from render.script_source import script_source
from render.serializers import (
    AvatarCreateSerializer,
    AvatarProgressSerializer,
    AvatarSerializer,
    GestureMarksInputSerializer,
    RenderJobCreateSerializer,
    RenderJobSerializer,
    SegmentSerializer,
    ShortVideoCreateSerializer,
    ShortVideoSerializer,
    marks_data,
)

PERMISSIONS: tuple[type[BasePermission], ...] = (IsAuthenticated, DenyAuditorWrites)
FILE_NAME = re.compile(r"^(index\.m3u8|master\.m3u8|init\.mp4|seg_\d{6}\.m4s)$")
CONTENT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".mp4": "video/mp4", ".m4s": "video/iso.segment"}


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _require_writer(user: User, brand_id: int) -> None:
    if not selectors.can_write(user, brand_id):
        raise DomainError(
            "Only the brand's owners, editors and operators may do this.", code="permission_denied", status_code=403
        )


class AvatarListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=AvatarSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(AvatarSerializer(selectors.list_avatars_for(_user(request))[:200], many=True).data)

    @extend_schema(
        request=AvatarCreateSerializer, responses={202: AvatarSerializer}, parameters=[IDEMPOTENCY_PARAMETER]
    )
    def post(self, request: Request) -> Response:
        data = AvatarCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        brand = get_visible_organisation(_user(request), values["brand"])
        _require_writer(_user(request), brand.pk)
        influencer = InfluencerProfile.objects.filter(public_id=values["influencer"]).first()
        if influencer is None:
            raise DomainError("No such influencer.", code="influencer_not_found", status_code=400)
        grant = None
        if values.get("grant"):
            # Only this brand's grants: whether the influencer holds one for someone else is not the brand's to know.
            grant = ConsentGrant.objects.filter(public_id=values["grant"], influencer=influencer, brands=brand).first()
            if grant is None:
                raise DomainError("No such consent grant for this influencer.", code="grant_mismatch", status_code=400)
        avatar = services.create_avatar(
            influencer=influencer,
            brand=brand,
            actor=_user(request),
            purpose=values["purpose"],
            platform=values["platform"],
            voice=values["voice"],
            grant=grant,
            gesture_marks=marks_data(values.get("gesture_marks")),
            request_key=header_request_key(request.headers),
        )
        return Response(AvatarSerializer(avatar).data, status=status.HTTP_202_ACCEPTED)


class AvatarDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=AvatarSerializer)
    def get(self, request: Request, avatar_id: str) -> Response:
        return Response(AvatarSerializer(selectors.get_visible_avatar(_user(request), avatar_id)).data)


class AvatarProgressView(APIView):
    """What the portal's progress bar polls: status and progress only."""

    permission_classes = PERMISSIONS

    @extend_schema(responses=AvatarProgressSerializer)
    def get(self, request: Request, avatar_id: str) -> Response:
        return Response(AvatarProgressSerializer(selectors.get_visible_avatar(_user(request), avatar_id)).data)


class AvatarGesturesView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=GestureMarksInputSerializer, responses={202: AvatarSerializer})
    def patch(self, request: Request, avatar_id: str) -> Response:
        avatar = selectors.get_visible_avatar(_user(request), avatar_id)
        _require_writer(_user(request), avatar.brand_id)
        data = GestureMarksInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        avatar = services.set_gesture_marks(
            avatar=avatar, marks=marks_data(data.validated_data["gesture_marks"]), actor=_user(request)
        )
        return Response(AvatarSerializer(avatar).data, status=status.HTTP_202_ACCEPTED)


class RenderJobListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=RenderJobSerializer(many=True))
    def get(self, request: Request) -> Response:
        jobs = selectors.list_jobs_for(_user(request))[:200]
        return Response(RenderJobSerializer(jobs, many=True).data)

    @extend_schema(
        request=RenderJobCreateSerializer, responses={202: RenderJobSerializer}, parameters=[IDEMPOTENCY_PARAMETER]
    )
    def post(self, request: Request) -> Response:
        if isinstance(request.data, Mapping) and "lines" in request.data:
            raise DomainError(
                "A render job speaks an approved script version, not raw lines: write the script, have a reviewer "
                "approve it, then send its version id as script_version.",
                code="script_required",
                status_code=400,
            )
        data = RenderJobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        avatar: Avatar = selectors.get_visible_avatar(_user(request), values.pop("avatar"))
        _require_writer(_user(request), avatar.brand_id)
        script = script_source().resolve(organisation=avatar.brand, version_id=str(values.pop("script_version")))
        job = services.submit_render_job(
            avatar=avatar,
            actor=_user(request),
            script=script,
            request_key=header_request_key(request.headers),
            **values,
        )
        return Response(RenderJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class RenderJobDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=RenderJobSerializer)
    def get(self, request: Request, job_id: str) -> Response:
        return Response(RenderJobSerializer(selectors.get_visible_job(_user(request), job_id)).data)


class RenderJobCancelView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=None, responses=RenderJobSerializer)
    def post(self, request: Request, job_id: str) -> Response:
        job = selectors.get_visible_job(_user(request), job_id)
        _require_writer(_user(request), job.brand_id)
        job = services.cancel_render_job(job=job, actor=_user(request))
        return Response(RenderJobSerializer(job).data)


class RenderJobSegmentsView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=SegmentSerializer(many=True))
    def get(self, request: Request, job_id: str) -> Response:
        job: RenderJob = selectors.get_visible_job(_user(request), job_id)
        return Response(SegmentSerializer(selectors.list_segments(job).select_related("job", "grant"), many=True).data)


class RenderJobFileView(APIView):
    """The HLS playlist, init segment and media segments of a job, to the brand's readers only."""

    permission_classes = PERMISSIONS

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, job_id: str, name: str) -> HttpResponseBase:
        job = selectors.get_visible_job(_user(request), job_id)
        if not FILE_NAME.match(name):
            raise Http404("No such file.")
        if name == "index.m3u8":
            stored = job.playlist_storage_name
        elif name == "master.m3u8":  # the multivariant playlist, next to the media playlist
            stored = f"{job.stream_id}/master.m3u8" if job.playlist_storage_name else ""
        elif name == "init.mp4":
            stored = job.init_storage_name
        else:
            segment = job.segments.filter(uri=name).first()
            stored = segment.storage_name if segment is not None else ""
        storage = services.segment_storage()
        if not stored or not storage.exists(stored):
            raise Http404("No such file.")
        suffix = name[name.rindex(".") :]
        response = FileResponse(storage.open(stored, "rb"), content_type=CONTENT_TYPES[suffix])
        # The playlist changes as segments are published; segments never change once published.
        response["Cache-Control"] = "private, no-cache" if name.endswith(".m3u8") else "private, max-age=3600"
        return response


class RenderJobDownloadView(APIView):
    """The job's published segments as one fragmented MP4 (the init segment, then every media segment in order:
    fMP4 fragments concatenate into a playable file), as an attachment, to the brand's readers only. Each segment
    keeps its own C2PA manifest; verifying the stream means verifying the playlist (render/provenance.py)."""

    permission_classes = PERMISSIONS

    @extend_schema(responses={(200, "video/mp4"): OpenApiTypes.BINARY})
    def get(self, request: Request, job_id: str) -> HttpResponseBase:
        job = selectors.get_visible_job(_user(request), job_id)
        storage = services.segment_storage()
        names = [job.init_storage_name, *selectors.list_segments(job).values_list("storage_name", flat=True)]
        if len(names) < 2 or not job.init_storage_name or not all(storage.exists(n) for n in names):
            raise Http404("No such file.")

        def chunks() -> Iterator[bytes]:
            for name in names:
                with storage.open(name, "rb") as handle:
                    while block := handle.read(1 << 16):
                        yield block

        response = StreamingHttpResponse(chunks(), content_type="video/mp4")
        response["Content-Disposition"] = f'attachment; filename="render-{job.public_id}.mp4"'
        response["Cache-Control"] = "private, no-cache"  # a running job grows
        return response


class ShortVideoListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=ShortVideoSerializer(many=True))
    def get(self, request: Request) -> Response:
        videos = selectors.list_short_videos_for(_user(request))[:200]
        return Response(ShortVideoSerializer(videos, many=True).data)

    @extend_schema(
        request=ShortVideoCreateSerializer, responses={202: ShortVideoSerializer}, parameters=[IDEMPOTENCY_PARAMETER]
    )
    def post(self, request: Request) -> Response:
        data = ShortVideoCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        avatar: Avatar = selectors.get_visible_avatar(_user(request), values.pop("avatar"))
        _require_writer(_user(request), avatar.brand_id)
        services.require_ready_avatar(avatar=avatar)
        # Only an approved version of this brand's scripts: render speaks nothing else.
        script = script_source().resolve(organisation=avatar.brand, version_id=values.pop("script_version"))
        video = services.submit_short_video(
            avatar=avatar,
            actor=_user(request),
            script=script,
            request_key=header_request_key(request.headers),
            **values,
        )
        return Response(ShortVideoSerializer(video).data, status=status.HTTP_202_ACCEPTED)


class ShortVideoDetailView(APIView):
    """What the short-video page polls: status, progress, and the download link once done."""

    permission_classes = PERMISSIONS

    @extend_schema(responses=ShortVideoSerializer)
    def get(self, request: Request, video_id: str) -> Response:
        return Response(ShortVideoSerializer(selectors.get_visible_short_video(_user(request), video_id)).data)


class ShortVideoDownloadView(APIView):
    """The finished MP4, as an attachment, to the brand's readers only (anyone else meets 404)."""

    permission_classes = PERMISSIONS

    @extend_schema(responses={(200, "video/mp4"): OpenApiTypes.BINARY})
    def get(self, request: Request, video_id: str) -> HttpResponseBase:
        video = selectors.get_visible_short_video(_user(request), video_id)
        storage = services.segment_storage()
        if video.status != ShortVideo.Status.DONE or not video.storage_name or not storage.exists(video.storage_name):
            raise Http404("No such file.")
        response = FileResponse(
            storage.open(video.storage_name, "rb"),
            content_type="video/mp4",
            as_attachment=True,
            filename=video.file_name,
        )
        response["Cache-Control"] = "private, max-age=3600"  # a finished video never changes
        return response
