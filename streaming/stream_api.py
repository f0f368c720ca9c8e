"""Stream API views: parse, call a service or selector, serialize. Routes in streaming/api_urls.py.

Who may do what: the brand's owners and editors set streams up (create, change, schedule); its assigned operators
(owners or operators, real-name verified) go live with a passkey, pause and resume; owners, editors and operators
end; every member, platform staff and auditors read; anyone else meets 404. Going live is two calls, as script
approval: options (the go-live document and WebAuthn options whose challenge is its SHA-256), then the assertion.
The stream key is write-only: no answer holds more than its last 4 characters.
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
from render.engine.options import RESOLUTIONS
from render.models import Avatar
from render.voices import VOICE_BACKENDS
from streaming import stream_selectors as selectors
from streaming import streams as services
from streaming.models import Stream

PERMISSIONS: tuple[type[BasePermission], ...] = (IsAuthenticated, DenyAuditorWrites)
MAX_LIST = 200
# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (StreamPlatformEnum, StreamResolutionEnum).
PLATFORMS: tuple[str, ...] = tuple(Stream.Platform.values)
RESOLUTION_CHOICES: tuple[str, ...] = tuple(RESOLUTIONS)


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class StreamVoiceSerializer(StrictSerializer):
    """The host's voice (docs/voice.md); the values are checked against the engine's options by the service."""

    tts_backend = serializers.ChoiceField(choices=VOICE_BACKENDS, required=False)
    voice = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True)
    voice_rate = serializers.FloatField(required=False)
    voice_pitch = serializers.FloatField(required=False)


class StreamWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    avatar = serializers.UUIDField()
    playlist = serializers.ListField(child=serializers.UUIDField(), allow_empty=False, max_length=services.MAX_PLAYLIST)
    platform = serializers.ChoiceField(choices=PLATFORMS)
    rtmp_url = serializers.CharField(max_length=500)
    stream_key = serializers.CharField(max_length=512, trim_whitespace=False, write_only=True)
    registration_id = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    operators = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=services.MAX_OPERATORS
    )
    resolution = serializers.ChoiceField(choices=RESOLUTION_CHOICES, default="720p-portrait")
    shuffle_within_intents = serializers.BooleanField(default=False)
    answers_at_once = serializers.BooleanField(default=False)
    starts_at = serializers.DateTimeField()
    stops_at = serializers.DateTimeField()
    time_zone = serializers.CharField(max_length=64, default="Asia/Shanghai")
    acknowledgements = serializers.DictField(child=serializers.BooleanField(), required=False, default=dict)
    voice = StreamVoiceSerializer(required=False)
    few_viewers_below = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    crowd_from = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class StreamUpdateSerializer(StreamWriteSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class StateSerializer(StrictSerializer):
    to = serializers.ChoiceField(choices=("paused", "live", "ended"))
    reason = serializers.CharField(max_length=services.MAX_REASON)


class GoLiveSerializer(StrictSerializer):
    credential = serializers.DictField()


def _service_kwargs(values: dict[str, Any]) -> dict[str, Any]:
    """Serializer names -> service names (playlist -> version_ids, operators -> operator_ids)."""
    out = dict(values)
    if "playlist" in out:
        out["version_ids"] = [str(v) for v in out.pop("playlist")]
    if "operators" in out:
        out["operator_ids"] = [str(v) for v in out.pop("operators")]
    return out


def checks_data(stream: Stream, operator: User) -> list[dict[str, str]]:
    return [r.as_dict() for r in services.check_go_live(stream=stream, operator=operator)]


class BrandStreamListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        streams = selectors.list_streams_for(_user(request), organisation=brand)[:MAX_LIST]
        return Response([selectors.stream_data(s) for s in streams])

    @extend_schema(request=StreamWriteSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        if not services.can_write_streams(_user(request), brand.pk):
            raise DomainError(
                "Only the brand's owners and editors may set up its streams.", code="permission_denied", status_code=403
            )
        data = StreamWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _service_kwargs(dict(data.validated_data))
        avatar = Avatar.objects.filter(public_id=values.pop("avatar"), brand=brand).first()
        if avatar is None:
            raise DomainError("No such avatar for this brand.", code="avatar_not_found", status_code=404)
        stream = services.create_stream(organisation=brand, actor=_user(request), avatar=avatar, **values)
        return Response(selectors.stream_data(stream), status=status.HTTP_201_CREATED)


class StreamDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        return Response({**selectors.stream_data(stream), "checks": checks_data(stream, _user(request))})

    @extend_schema(request=StreamUpdateSerializer, responses=OpenApiTypes.OBJECT)
    def patch(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        data = StreamUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = _service_kwargs(dict(data.validated_data))
        if "avatar" in changes:
            raise DomainError(
                "A stream's avatar cannot change; set up a new stream.", code="invalid_fields", status_code=400
            )
        stream = services.update_stream(stream=stream, actor=_user(request), changes=changes)
        return Response(selectors.stream_data(stream))


class StreamScheduleView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        stream = services.schedule_stream(stream=stream, actor=_user(request))
        return Response(selectors.stream_data(stream))


class StreamStateView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=StateSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        data = StateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stream = services.change_stream_state(
            stream=stream, actor=_user(request), to=data.validated_data["to"], reason=data.validated_data["reason"]
        )
        return Response(selectors.stream_data(stream))


class GoLiveOptionsView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        return Response(
            services.begin_go_live(stream=stream, operator=_user(request), rp=passkeys.relying_party(request))
        )


class GoLiveView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=GoLiveSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        data = GoLiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stream = services.go_live(
            stream=stream,
            operator=_user(request),
            credential=dict(data.validated_data["credential"]),
            rp=passkeys.relying_party(request),
        )
        return Response(selectors.stream_data(stream))
