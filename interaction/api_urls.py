"""Live interaction API routes under /api/v1/ (included from config/api.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from interaction import api
from interaction.host_state_api import HostStateView

app_name = "interaction-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("streams/<uuid:stream_id>/comment-webhook/", api.CommentWebhookView.as_view(), name="comment-webhook"),
    path(
        "streams/<uuid:stream_id>/comment-webhook-secret/",
        api.WebhookSecretView.as_view(),
        name="comment-webhook-secret",
    ),
    path("streams/<uuid:stream_id>/comments/", api.CommentFeedView.as_view(), name="comments"),
    path("streams/<uuid:stream_id>/host-state/", HostStateView.as_view(), name="host-state"),
    path(
        "streams/<uuid:stream_id>/comments/<str:comment_id>/answer/",
        api.CommentAnswerView.as_view(),
        name="comment-answer",
    ),
]
