"""The API's documentation pages (Swagger UI, Redoc) without inline script, so they render under the portal's CSP.

drf-spectacular's own templates put the Swagger UI initialiser in an inline <script> (refused by `script-src
'self'`) and load Redoc's fonts from Google (nothing may come from a CDN). These views keep drf-spectacular's data
(the assets from drf-spectacular-sidecar, the schema URL, the CSRF header name) but render our templates: the page
carries its settings in data-* attributes and the initialiser is the static file portal/api-docs.js.
"""

from __future__ import annotations

from typing import Any

from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response


class SwaggerDocsView(SpectacularSwaggerView):
    template_name = "portal/api_docs/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        # Swagger UI's "Try it out" posts with the session: the CSRF token travels in a data attribute.
        response.data["csrf_token"] = get_token(request._request)
        return response


class RedocDocsView(SpectacularRedocView):
    template_name = "portal/api_docs/redoc.html"
