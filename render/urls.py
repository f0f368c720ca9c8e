"""Render pages. Included with `path("render/", include("render.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from render import output_pages, start_pages, views

app_name = "render"
urlpatterns: list[URLPattern] = [
    path("", views.avatar_list, name="avatars"),
    path("avatars/new/", start_pages.avatar_new, name="avatar-new"),
    path("avatars/<str:avatar_id>/", views.avatar_detail, name="avatar"),
    path("avatars/<str:avatar_id>/gestures/", start_pages.gestures, name="avatar-gestures"),
    path("avatars/<str:avatar_id>/render/", start_pages.job_new, name="job-new"),
    path("avatars/<str:avatar_id>/short-video/", start_pages.short_video_new, name="short-video-new"),
    path("jobs/<str:job_id>/", views.job_detail, name="job"),
    path("jobs/<str:job_id>/stop/", start_pages.job_stop, name="job-stop"),
    path("jobs/<str:job_id>/segments/<int:sequence>/verify/", output_pages.segment_verify, name="segment-verify"),
    path("short-videos/<str:video_id>/", views.short_video_detail, name="short-video"),
]
