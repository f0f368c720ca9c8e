"""The one DRF router: each domain registers its viewsets and workflow views here (wiring only)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("accounts.api_urls")),
    path("", include("audit.api_urls")),
    path("", include("consent.api_urls")),
    path("", include("render.api_urls")),
    path("", include("streaming.api_urls")),
    path("", include("interaction.api_urls")),
    path("", include("compliance.api_urls")),
    path("", include(router.urls)),
]
