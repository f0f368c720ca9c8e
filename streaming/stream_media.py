"""A live stream's media for the people allowed to see the stream (its brand's members, as the stream's page, and
the influencer whose likeness it uses), under /api/v1/streams/<id>/media/: the live playlist (sliding window: the
preview), the archive playlist (every segment: the recording), and the init and media segments both name. Thin views:
the playlists are built by streaming.runner.playlists; the stream page's player (stream_player.js) plays them with
the session cookie."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from render.publisher import segment_storage
from streaming import stream_selectors as selectors
from streaming.models import Stream
from streaming.runner.config import RunnerSettings
from streaming.runner.playlists import archive_playlist, live_job, live_playlist

PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
FILE_NAME = re.compile(r"^(init\.mp4|seg_\d{6}\.m4s)$")


def _stream(request: Request, public_id: str) -> Stream:
    """The brand's members see the stream; so does the influencer whose likeness it uses (her recording)."""
    user = request.user
    try:
        return selectors.get_visible_stream(user, public_id)  # type: ignore[arg-type]
    except Http404:
        return selectors.get_stream_of_my_likeness(user, public_id)  # type: ignore[arg-type]


def _playlist_response(text: str | None) -> HttpResponse:
    if text is None:
        raise Http404("The stream has not published anything yet.")
    response = HttpResponse(text, content_type=PLAYLIST_TYPE)
    response["Cache-Control"] = "private, no-cache"  # it grows with every segment
    return response


class StreamLivePlaylistView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={(200, PLAYLIST_TYPE): OpenApiTypes.STR})
    def get(self, request: Request, public_id: str) -> HttpResponseBase:
        stream = _stream(request, public_id)
        return _playlist_response(live_playlist(stream, window=RunnerSettings.load().preview_window_segments))


class StreamArchivePlaylistView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={(200, PLAYLIST_TYPE): OpenApiTypes.STR})
    def get(self, request: Request, public_id: str) -> HttpResponseBase:
        stream = _stream(request, public_id)
        return _playlist_response(archive_playlist(stream))


class StreamMediaFileView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, public_id: str, name: str) -> HttpResponseBase:
        stream = _stream(request, public_id)
        job = live_job(stream)
        if job is None or not FILE_NAME.match(name):
            raise Http404("No such file.")
        if name == "init.mp4":
            stored = job.init_storage_name
        else:
            segment = job.segments.filter(uri=name).first()
            stored = segment.storage_name if segment is not None else ""
        storage = segment_storage()
        if not stored or not storage.exists(stored):
            raise Http404("No such file.")
        content_type = "video/mp4" if name.endswith(".mp4") else "video/iso.segment"
        response = FileResponse(storage.open(stored, "rb"), content_type=content_type)
        response["Cache-Control"] = "private, max-age=3600"  # a published segment never changes
        return response
