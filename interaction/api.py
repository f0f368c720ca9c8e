"""Live interaction API (routes in interaction/api_urls.py; docs/live-interaction.md). Thin views.

POST streams/<id>/comment-webhook/          the platform connector's signed webhook (no session: the HMAC is the
                                            credential); 202 {"accepted", "room_samples"}; 400 invalid_utf8 /
                                            malformed_json / invalid_unicode / invalid_message, 401 signature_missing /
                                            bad_signature / stale_request / invalid_timestamp, 404, 409 replayed /
                                            no_webhook_secret / stream_over, 413 body_too_large / comment_too_long /
                                            too_many_messages, 429 rate_limited with Retry-After
POST streams/<id>/comment-webhook-secret/   a brand owner or editor issues (or rotates) the secret; shown once
GET  streams/<id>/comments/                 the operator's feed: comments, suggestions with scores, counts, curves
POST streams/<id>/comments/<cid>/answer/    {"faq": public_id} sends a suggestion; {"text", "language"} a typed reply
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.api import DomainError
from common.schema import VeracastAutoSchema
from common.serializers import StrictSerializer
from interaction import feed_selectors, ingestion, operator_replies
from interaction.models import Comment
from interaction.webhook_secrets import issue_webhook_secret
from streaming import stream_selectors
from streaming.models import Stream
from streaming.stream_api import PERMISSIONS
from streaming.streams import can_write_streams


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


class _SignedSchema(VeracastAutoSchema):
    """No session or token: the HMAC signature is the credential (security: [])."""

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            operation["security"] = []
        return operation


class CommentWebhookView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()
    schema = _SignedSchema()
    # The raw body is read for the signature; no DRF parser runs.
    parser_classes = ()

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "application/octet-stream": OpenApiTypes.BINARY},
        responses={
            202: OpenApiTypes.OBJECT,
            401: OpenApiResponse(description="Signature missing, wrong or stale (`bad_signature`, `stale_request`)."),
            429: OpenApiResponse(description="Rate limited (`rate_limited`); nothing stored; see Retry-After."),
        },
    )
    def post(self, request: Request, stream_id: str) -> Response:
        stream = Stream.objects.filter(public_id=stream_id).select_related("organisation").first()
        if stream is None:
            raise Http404("No such stream.")
        try:
            body = request._request.body
        except RequestDataTooBig:
            raise DomainError(
                "The body is larger than 1 MB; send at most 100 comments per request.",
                code="body_too_large",
                status_code=413,
            ) from None
        try:
            accepted = ingestion.ingest_webhook(
                stream=stream,
                body=body,
                timestamp=request.headers.get("X-Veracast-Timestamp"),
                signature=request.headers.get("X-Veracast-Signature"),
            )
        except ingestion.RateLimitedError as exc:
            response = Response({"code": exc.code, "message": str(exc.detail)}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return Response(
            {"accepted": len(accepted.comment_ids), "room_samples": accepted.room_samples},
            status=status.HTTP_202_ACCEPTED,
        )


class WebhookSecretView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, stream_id: str) -> Response:
        stream = stream_selectors.get_visible_stream(_user(request), stream_id)
        if not can_write_streams(_user(request), stream.organisation_id):
            raise DomainError(
                "Only the brand's owners and editors may issue the webhook secret.",
                code="permission_denied",
                status_code=403,
            )
        secret = issue_webhook_secret(stream=stream, actor=_user(request))
        return Response(
            {"secret": secret, "last4": secret[-4:], "signature": "HMAC-SHA256 over '<timestamp>.<body>'"},
            status=status.HTTP_201_CREATED,
        )


class CommentFeedView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, stream_id: str) -> Response:
        stream = stream_selectors.get_visible_stream(_user(request), stream_id)
        return Response(feed_selectors.comment_feed(stream))


class AnswerSerializer(StrictSerializer):
    faq = serializers.CharField(max_length=64, required=False)
    text = serializers.CharField(max_length=operator_replies.MAX_REPLY, required=False, trim_whitespace=False)
    language = serializers.ChoiceField(choices=("zh", "en"), required=False, default="zh")


class CommentAnswerView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(request=AnswerSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, stream_id: str, comment_id: str) -> Response:
        stream = stream_selectors.get_visible_stream(_user(request), stream_id)
        public_id = _uuid(comment_id)
        comment = (
            Comment.objects.filter(stream=stream, public_id=public_id).select_related("stream").first()
            if public_id
            else None
        )
        if comment is None:
            raise Http404("No such comment.")
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("faq"):
            answer = operator_replies.send_suggested_answer(
                comment=comment, operator=_user(request), faq_public_id=values["faq"]
            )
        elif values.get("text") is not None:
            answer = operator_replies.send_typed_reply(
                comment=comment, operator=_user(request), text=values["text"], language=values["language"]
            )
        else:
            raise DomainError("Send a suggested FAQ (faq) or a typed reply (text).", code="invalid", status_code=400)
        return Response({"answer": str(answer.public_id), "text": answer.spoken_text}, status=status.HTTP_201_CREATED)


def _uuid(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
