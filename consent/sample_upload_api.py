"""The resumable sample upload over HTTP (consent.sample_uploads has the rules; docs/sample-uploads.md the protocol).

PUT carries raw bytes (`application/octet-stream`, or `application/offset+octet-stream` as in tus) at the offset in the
`Upload-Offset` header. The body is read straight from the request stream after its length has been bounded, so the
site-wide body limit for form and JSON bodies stays small.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import DenyAuditorWrites
from common.api import DomainError
from common.serializers import StrictSerializer
from consent import sample_uploads
from consent.models import SampleUpload

WRITE: tuple[type[BasePermission], ...] = (IsAuthenticated, DenyAuditorWrites)


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class SampleUploadCreateSerializer(StrictSerializer):
    size = serializers.IntegerField(min_value=1)
    content_type = serializers.CharField(max_length=100)
    filename = serializers.CharField(max_length=200, required=False, allow_blank=True)


def _state(upload: SampleUpload) -> dict[str, Any]:
    return {
        "id": str(upload.public_id),
        "status": upload.status,
        "offset": upload.received,
        "size": upload.total_size,
        "content_type": upload.content_type,
        "chunk_max": sample_uploads.CHUNK_MAX_BYTES,
        "expires_at": upload.expires_at.isoformat(),
        "refusal": {"code": upload.refusal_code, "message": upload.refusal_message} if upload.refusal_code else None,
        "sample": str(upload.sample.public_id) if upload.sample_id and upload.sample else None,
    }


class _OffsetOctetStream(BaseParser):
    """Declared so that DRF accepts the media type; the view reads the stream itself and never calls parse()."""

    media_type = "application/offset+octet-stream"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raise DomainError("Send the chunk as the raw request body.", code="malformed_request", status_code=400)


class SampleUploadListView(APIView):
    permission_classes = WRITE

    @extend_schema(request=SampleUploadCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = SampleUploadCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = sample_uploads.create_sample_upload(
            user=_user(request),
            total_size=data.validated_data["size"],
            content_type=data.validated_data["content_type"],
            filename=data.validated_data.get("filename", ""),
        )
        return Response(_state(upload), status=status.HTTP_201_CREATED)


def _read_chunk(request: Request, declared: int) -> bytes:
    django_request: HttpRequest = request._request
    parts: list[bytes] = []
    remaining = declared
    while remaining > 0:
        block = django_request.read(min(remaining, 1024 * 1024))
        if not block:
            break  # the client stopped sending: the caller refuses the short chunk
        parts.append(block)
        remaining -= len(block)
    return b"".join(parts)


class SampleUploadDetailView(APIView):
    permission_classes = WRITE
    parser_classes = (_OffsetOctetStream,)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, upload_id: str) -> Response:
        """Where the upload stands: `offset` is where the next chunk starts (resume from there)."""
        return Response(_state(sample_uploads.get_sample_upload(user=_user(request), upload_id=upload_id)))

    @extend_schema(
        # Any content type is read as raw bytes (tus clients send application/offset+octet-stream).
        request={"application/octet-stream": OpenApiTypes.BINARY},
        parameters=[OpenApiParameter("Upload-Offset", int, OpenApiParameter.HEADER, required=True)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def put(self, request: Request, upload_id: str) -> Response:
        upload = sample_uploads.get_sample_upload(user=_user(request), upload_id=upload_id)
        try:
            offset = int(request.headers.get("Upload-Offset", ""))
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise DomainError(
                "Name where this chunk starts in the Upload-Offset header (a whole number of bytes).",
                code="offset_required",
                status_code=400,
            ) from None
        if offset < 0:
            raise DomainError("Upload-Offset cannot be negative.", code="offset_required", status_code=400)
        if declared > sample_uploads.CHUNK_MAX_BYTES:
            # Refused before a byte of the body is read.
            raise DomainError(
                f"A chunk may be at most {sample_uploads.CHUNK_MAX_BYTES} bytes.",
                code="chunk_too_large",
                status_code=413,
            )
        if declared <= 0:
            raise DomainError("Send the chunk with its Content-Length.", code="length_required", status_code=411)
        data = _read_chunk(request, declared)
        upload = sample_uploads.append_sample_chunk(
            upload=upload, user=_user(request), offset=offset, data=data, declared=declared
        )
        return Response(_state(upload))

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def delete(self, request: Request, upload_id: str) -> Response:
        upload = sample_uploads.get_sample_upload(user=_user(request), upload_id=upload_id)
        return Response(_state(sample_uploads.cancel_sample_upload(upload=upload, user=_user(request))))


class SampleUploadFinishView(APIView):
    permission_classes = WRITE

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, upload_id: str) -> Response:
        upload = sample_uploads.get_sample_upload(user=_user(request), upload_id=upload_id)
        sample = sample_uploads.finish_sample_upload(upload=upload, user=_user(request))
        return Response(
            {"id": str(sample.public_id), "sha256": sample.plaintext_sha256, "media": sample.media_info},
            status=status.HTTP_201_CREATED,
        )
