"""HTTP of the public clip check: the page /check/ and the API POST /api/v1/check-clip. No login.

Both only bound and receive the upload, call `render.clip_check.check_clip` and format the verdict. Order matters:
the per-IP rate limit and the size limit (from Content-Length) are applied before a byte of the body is read, and
the body is then streamed to a temporary file (never into memory, never kept), which is deleted when the check ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.lockout import client_ip
from common.api import DomainError
from common.schema import VeracastAutoSchema
from render.clip_check import ClipVerdict, check_clip, max_bytes

_CHUNK = 1024 * 1024


def _rate() -> tuple[int, int]:
    return (
        int(getattr(settings, "CLIP_CHECK_RATE_LIMIT", 20)),
        int(getattr(settings, "CLIP_CHECK_RATE_WINDOW_SECONDS", 3600)),
    )


def take_check_slot(request: HttpRequest) -> None:
    """Count one check against the client's IP (the shared cache: Redis in production); 429 past the limit.

    A fixed window is enough here: the limit protects CPU (each check decodes video for seconds), not secrets."""
    limit, window = _rate()
    ip = client_ip(request) or "unknown"
    import time

    bucket = int(time.time() // window)
    key = f"veracast:clip-check:{ip}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        retry = int(window - time.time() % window) + 1
        error = DomainError(
            _(
                "Too many clip checks from your network: %(limit)d per %(minutes)d minutes. "
                "Try again in %(retry)d minutes."
            )
            % {"limit": limit, "minutes": max(window // 60, 1), "retry": max(retry // 60, 1)},
            code="throttled",
            status_code=429,
        )
        error.retry_after = retry  # type: ignore[attr-defined]
        raise error


def _too_large() -> DomainError:
    limit = max_bytes()
    return DomainError(
        _("The clip is larger than %(mb)d MB; upload a shorter excerpt.") % {"mb": limit // (1024 * 1024)},
        code="request_too_large",
        status_code=413,
    )


def bounded_length(request: HttpRequest) -> int:
    """The body's Content-Length, refused when missing (411) or over the limit (413): cheap refusals, before the rate
    limit counts the request and before a byte is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes():
        raise _too_large()
    if length <= 0:
        raise DomainError(
            _("Send the clip: as the request body, or as the multipart form field `file`."),
            code="length_required",
            status_code=411,
        )
    return length


@contextmanager
def received_clip(request: HttpRequest) -> Iterator[Path]:
    """The uploaded clip as a temporary file: the raw request body, or the multipart field `file` (or the only file).

    Call `bounded_length` first: Content-Length is required and bounded before anything is read, so no upload ever
    writes more than the limit."""
    length = bounded_length(request)
    if (request.content_type or "").startswith("multipart/form-data"):
        # Every file part goes to a temporary file (never memory), whatever its size.
        request.upload_handlers = [TemporaryFileUploadHandler(request)]
        try:
            files = request.FILES
        except MultiPartParserError as exc:
            raise DomainError(
                _("The upload is not well-formed multipart form data."), code="malformed_request", status_code=400
            ) from exc
        upload: Any = files.get("file") or next(iter(files.values()), None)
        if upload is None:
            raise DomainError(
                _("The form holds no file: send the clip in the field `file`."), code="no_file", status_code=400
            )
        try:
            yield Path(upload.temporary_file_path())
        finally:
            for name in files:
                for each in files.getlist(name):
                    each.close()  # deletes the temporary file
        return
    with tempfile.NamedTemporaryFile(prefix="veracast-clip-", suffix=".upload") as handle:
        remaining = length
        while remaining > 0:
            chunk = request.read(min(_CHUNK, remaining))
            if not chunk:
                break
            handle.write(chunk)
            remaining -= len(chunk)
        handle.flush()
        yield Path(handle.name)


# --- API -----------------------------------------------------------------------------------------------------------


ERROR = OpenApiResponse(description="An error: `{code, message}` with a sentence a person can read.")


class _PublicSchema(VeracastAutoSchema):
    """Says `security: []` (no authentication at all), which drf-spectacular leaves out when a view has none."""

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            operation["security"] = []
        return operation


class CheckClipView(APIView):
    """POST a clip (the raw body, or multipart field `file`, up to CLIP_CHECK_MAX_BYTES): was it made by Veracast?"""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    schema = _PublicSchema()
    http_method_names = ["post"]  # noqa: RUF012 - declared as a list on View
    # The body is read by received_clip, never by a DRF parser.
    parser_classes = ()

    @extend_schema(
        tags=["clip check"],
        operation_id="v1_check_clip",
        request={
            "video/mp4": OpenApiTypes.BINARY,
            "application/octet-stream": OpenApiTypes.BINARY,
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
        },
        responses={
            200: OpenApiResponse(
                description="The verdict: made_by_veracast, stream_id, brand, segments, starts_at/ends_at, "
                "consent {status, valid_now}, confidence, false_positive_rate, c2pa {status, message}, summary."
            ),
            400: ERROR,
            411: ERROR,
            413: ERROR,
            415: ERROR,
            422: ERROR,
            429: ERROR,
            503: ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        django_request: HttpRequest = request._request
        bounded_length(django_request)
        take_check_slot(django_request)
        with received_clip(django_request) as path:
            verdict = check_clip(path=path)
        return Response(verdict.as_dict())

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        retry = getattr(exc, "retry_after", None)
        if retry is not None:
            response["Retry-After"] = str(retry)
        return response


# --- page ----------------------------------------------------------------------------------------------------------


def _page(request: HttpRequest, *, verdict: ClipVerdict | None = None, error: str = "", status: int = 200) -> Any:
    return render(
        request,
        "render/check.html",
        {
            "verdict": verdict,
            "error": error,
            "max_mb": max_bytes() // (1024 * 1024),
            "languages": settings.LANGUAGES,
            "active_nav": "check",
        },
        status=status,
    )


# CSRF exemption: the check changes nothing and no one's session or account is involved, so a cross-site post
# gains an attacker nothing; and the CSRF middleware would parse the whole multipart body (to find the token) before
# this view could bound its size.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def check_page(request: HttpRequest) -> HttpResponse:
    """The public page: a form to upload a clip, and the verdict in words. Language: ?lang=, else the browser's."""
    language = request.GET.get("lang") or translation.get_language_from_request(request)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        if request.method != "POST":
            response: HttpResponse = _page(request)
        else:
            try:
                bounded_length(request)
                take_check_slot(request)
                with received_clip(request) as path:
                    response = _page(request, verdict=check_clip(path=path))
            except DomainError as exc:
                response = _page(request, error=str(exc.detail), status=int(exc.status_code))
                retry = getattr(exc, "retry_after", None)
                if retry is not None:
                    response["Retry-After"] = str(retry)
        response["Content-Language"] = language
        response["Cache-Control"] = "no-store"
        return response
