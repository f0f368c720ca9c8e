"""Login rate limiting with django-axes: who a login attempt is from, and what a locked-out client is told.

Axes counts failed logins per account (the e-mail) and, separately, per client IP; either reaching
`AXES_FAILURE_LIMIT` within the cool-off refuses every login from that account or that IP, the right password
included, until `AXES_COOLOFF_TIME` has passed since the last failure. Settings: `config/settings/base.py` (AUTH).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

CODE = "too_many_attempts"


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account an attempt names: `email` (API token login) or `username` (the portal and admin forms).

    Lower-cased like the accounts themselves, so `Alice@…` and `alice@…` count against one account.
    """
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    else:
        data = getattr(request, "data", None) or request.POST
        value = data.get("email") or data.get("username") if hasattr(data, "get") else None
    return str(value or "").strip().lower()


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind `VERACAST_TRUSTED_PROXY_COUNT` proxies the address the
    outermost trusted proxy saw (counted from the right of X-Forwarded-For, which a client can prepend to)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else remote


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def message() -> str:
    return _(
        "Too many failed sign-in attempts for this account or from this network. Sign-in is blocked for "
        "%(minutes)d minutes after the last failed attempt; try again later or contact Veracast staff."
    ) % {"minutes": cool_off_minutes()}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: JSON for the API, a page with a sentence for people; 429 with Retry-After."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"code": CODE, "message": message()}, status=429)
    else:
        response = render(request, "portal/locked_out.html", {"message": message()}, status=429)
    response["Retry-After"] = retry_after
    return response
