"""Plain Django views shared by the site: health check and error pages that never show a traceback."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": code, "message": message}, status=status)
    from django.shortcuts import render

    return render(request, "portal/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A view that says why (PermissionDenied(sentence), already translated) is shown with its reason.
    reason = str(exception or "").strip()
    return _error(request, 403, "permission_denied", reason or "You do not have access to this page.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "not_found", "Nothing is here.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "server_error", "Something went wrong on our side; nothing was changed.")


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
