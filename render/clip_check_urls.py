"""The public clip check page. Included with `path("check/", include("render.clip_check_urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from render import clip_check_views

app_name = "clip-check"
urlpatterns: list[URLPattern] = [path("", clip_check_views.check_page, name="check")]
