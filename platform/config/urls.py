"""URL wiring: admin, API (/api/v1/), schema and docs, health check, and the portal pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView

from common.views import health
from portal.api_docs import RedocDocsView, SwaggerDocsView
from streaming.urls import likeness_urlpatterns, script_urlpatterns, stream_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerDocsView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", RedocDocsView.as_view(url_name="schema"), name="api-redoc"),
    path("healthz", health, name="health"),
    # Django's set_language view (POST `language`, `next`): the header's language switcher posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    # The djangojs catalog of the active language, as a script file (the CSP forbids inline scripts).
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("consent/", include("consent.urls")),
    path("render/", include("render.urls")),
    path("catalog/", include("streaming.urls")),
    path("scripts/", include((script_urlpatterns, "scripts"))),
    path("streams/", include((stream_urlpatterns, "streams"))),
    path("streams/", include("interaction.urls")),
    path("likeness/", include((likeness_urlpatterns, "likeness"))),
    path("organisations/", include("accounts.urls")),
    path("audit/exports/", include("audit.export_urls")),
    path("check/", include("render.clip_check_urls")),
    path("ledger/", include("audit.ledger_urls")),
    path("compliance/", include("compliance.urls")),
    path("", include("portal.urls")),
]

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
