"""Operator console API (routes in streaming/api_urls.py; docs/operator-console.md). Thin views over
streaming.operators and streaming.console_selectors; the console page's script calls these with its session.

Errors are the house shape {"code", "message"}: 400 bad input (invalid, invalid_presence_timeout,
interjection_empty, interjection_too_long, invalid_interjection, invalid_language, interjection_refused with
"findings"), 403 operator_not_assigned / operator_not_member / operator_not_verified / operator_under_18 /
permission_denied, 404 for a stream the user cannot see, 409 stream_not_on_air / stream_over / takeover_active /
no_takeover / transition_not_allowed.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.api import DomainError
from common.serializers import StrictSerializer
from streaming import console_selectors, operators
from streaming import stream_selectors as selectors
from streaming.stream_api import PERMISSIONS
from streaming.streams import SENTENCES

# The console shows refusals as sentences in the page's language: the operator codes' Chinese sentences (the
# go-live ones of streaming.streams, and this module's own).
ZH_SENTENCES: dict[str, str] = {
    **{code: zh for code, (_en, zh) in SENTENCES.items() if code.startswith("operator_")},
    "stream_not_on_air": "只有直播中或暂停中的直播才能这样操作。",
    "stream_over": "本场直播已结束。",
    "takeover_active": "已有场控接管本场直播，请先交还。",
    "no_takeover": "当前没有人接管本场直播。",
    "invalid_presence_timeout": "离岗超时须为 10 到 300 之间的整数秒，不能关闭。",
    "interjection_empty": "请输入要数字人说出的话。",
    "interjection_too_long": "插话最多 500 个字符。",
    "invalid_interjection": "插话须为一行文字，不能含控制字符。",
    "transition_not_allowed": "直播当前的状态不允许这样变更。",
    "permission_denied": "你没有权限进行此操作。",
}


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _zh(request: Request) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "").startswith("zh")


class OperatorView(APIView):
    """A refusal's sentence in Chinese when the request asks for Chinese (the code stays the same)."""

    permission_classes = PERMISSIONS

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(exc, DomainError) and _zh(self.request) and exc.code in ZH_SENTENCES:
            data: Any = response.data
            data["message"] = ZH_SENTENCES[exc.code]
        return response


class InterjectionSerializer(StrictSerializer):
    text = serializers.CharField(max_length=operators.MAX_INTERJECTION, trim_whitespace=False)
    at_once = serializers.BooleanField(default=False)
    language = serializers.ChoiceField(choices=operators.LANGUAGES, required=False)


class TakeoverSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OperatorStateSerializer(StrictSerializer):
    to = serializers.ChoiceField(choices=("paused", "live", "ended"))
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PresenceTimeoutSerializer(StrictSerializer):
    seconds = serializers.JSONField()


class ConsoleView(OperatorView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        return Response(console_selectors.console_snapshot(stream, _user(request)))


class HeartbeatView(OperatorView):
    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        beat = operators.heartbeat(stream=stream, operator=_user(request))
        return Response({"present": beat.present, "timeout_s": beat.timeout_s, "state": beat.state})


class InterjectionListView(OperatorView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        rows = stream.interjections.select_related("by").order_by("-created_at", "-pk")[:200]
        return Response([console_selectors.interjection_data(r) for r in rows])

    @extend_schema(request=InterjectionSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        data = InterjectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            row = operators.interject(stream=stream, operator=_user(request), **data.validated_data)
        except operators.InterjectionRefusedError as refused:
            sentences = [f["zh"] if _zh(request) else f["en"] for f in refused.findings]
            lead = "这句话被拒绝：" if _zh(request) else "This line was refused: "
            return Response(
                {
                    "code": refused.code,
                    "message": lead + " ".join(sentences),
                    "findings": refused.findings,
                    "interjection": str(refused.interjection.public_id),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(console_selectors.interjection_data(row), status=status.HTTP_201_CREATED)


class TakeoverView(OperatorView):
    @extend_schema(request=TakeoverSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        data = TakeoverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = operators.take_over(stream=stream, operator=_user(request), reason=data.validated_data["reason"])
        return Response(
            {"takeover": str(row.public_id), "started_at": row.started_at.isoformat()}, status=status.HTTP_201_CREATED
        )


class HandBackView(OperatorView):
    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        row = operators.hand_back(stream=stream, operator=_user(request))
        assert row.ended_at is not None
        return Response({"takeover": str(row.public_id), "ended_at": row.ended_at.isoformat()})


class OperatorStateView(OperatorView):
    @extend_schema(request=OperatorStateSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        data = OperatorStateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stream = operators.operator_change_state(stream=stream, operator=_user(request), **data.validated_data)
        return Response(selectors.stream_data(stream))


class PresenceTimeoutView(OperatorView):
    @extend_schema(request=PresenceTimeoutSerializer, responses=OpenApiTypes.OBJECT)
    def put(self, request: Request, stream_id: str) -> Response:
        stream = selectors.get_visible_stream(_user(request), stream_id)
        data = PresenceTimeoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stream = operators.set_presence_timeout(
            stream=stream, actor=_user(request), seconds=data.validated_data["seconds"]
        )
        return Response({"presence_timeout_s": stream.presence_timeout_s})
