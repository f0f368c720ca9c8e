"""Render API routes under /api/v1/ (included from config/api.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from render import api, clip_check_views

app_name = "render-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("avatars/", api.AvatarListView.as_view(), name="avatars"),
    path("avatars/<str:avatar_id>/", api.AvatarDetailView.as_view(), name="avatar-detail"),
    path("avatars/<str:avatar_id>/progress/", api.AvatarProgressView.as_view(), name="avatar-progress"),
    path("avatars/<str:avatar_id>/gestures/", api.AvatarGesturesView.as_view(), name="avatar-gestures"),
    path("render-jobs/", api.RenderJobListView.as_view(), name="jobs"),
    path("render-jobs/<str:job_id>/", api.RenderJobDetailView.as_view(), name="job-detail"),
    path("render-jobs/<str:job_id>/cancel/", api.RenderJobCancelView.as_view(), name="job-cancel"),
    path("render-jobs/<str:job_id>/download/", api.RenderJobDownloadView.as_view(), name="job-download"),
    path("render-jobs/<str:job_id>/segments/", api.RenderJobSegmentsView.as_view(), name="job-segments"),
    path("render-jobs/<str:job_id>/files/<str:name>", api.RenderJobFileView.as_view(), name="job-file"),
    path("short-videos/", api.ShortVideoListView.as_view(), name="short-videos"),
    path("short-videos/<str:video_id>/", api.ShortVideoDetailView.as_view(), name="short-video-detail"),
    path("short-videos/<str:video_id>/download/", api.ShortVideoDownloadView.as_view(), name="short-video-download"),
    path("check-clip", clip_check_views.CheckClipView.as_view(), name="check-clip"),
]
