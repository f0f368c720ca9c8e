"""Auditor export pages. Included with `path("audit/exports/", include("audit.export_urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from audit import export_pages

app_name = "audit-exports"
urlpatterns: list[URLPattern] = [
    path("", export_pages.exports_page, name="list"),
]
