"""Interaction pages under /streams/ (included from config/urls.py with the namespace `interaction`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from interaction import pages

app_name = "interaction"

urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/comments/", pages.comments, name="comments"),
    path("brands/<uuid:public_id>/faq-quality/", pages.quality, name="faq-quality"),
]
