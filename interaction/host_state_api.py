"""GET streams/<id>/host-state/: the console's host panel (tone, tier, viewer and order curves); read like the
stream (404 for anyone who cannot see it). Polled by interaction/static/interaction/host_state.js."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from interaction.room_selectors import host_panel
from streaming import stream_selectors
from streaming.stream_api import PERMISSIONS


class HostStateView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, stream_id: str) -> Response:
        stream = stream_selectors.get_visible_stream(request.user, stream_id)  # type: ignore[arg-type]
        return Response(host_panel(stream))
