"""URL wiring: admin, API (/api/v1/), schema and docs, health check, and the portal pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from common.views import health

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("healthz", health, name="health"),
    path("consent/", include("consent.urls")),
    path("render/", include("render.urls")),
    path("catalog/", include("streaming.urls")),
    path("organisations/", include("accounts.urls")),
    path("check/", include("render.clip_check_urls")),
    path("ledger/", include("audit.ledger_urls")),
    path("", include("portal.urls")),
]

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
