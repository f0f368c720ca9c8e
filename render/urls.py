"""Render pages. Included with `path("render/", include("render.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from render import views

app_name = "render"
urlpatterns: list[URLPattern] = [
    path("", views.avatar_list, name="avatars"),
    path("avatars/<str:avatar_id>/", views.avatar_detail, name="avatar"),
    path("jobs/<str:job_id>/", views.job_detail, name="job"),
    path("short-videos/<str:video_id>/", views.short_video_detail, name="short-video"),
]
