"""API plumbing shared by every app: the error format.

Every API error is JSON with a stable machine-readable `code`, a human `message`, and for validation errors the
per-field `errors`. Clients switch on `code`; `message` is for people and may change wording.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class DomainError(exceptions.APIException):
    """A refusal by a service, raised with a stable code (e.g. `consent_revoked`)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state."

    def __init__(self, message: str, *, code: str, status_code: int | None = None) -> None:
        super().__init__(detail=message, code=code)
        if status_code is not None:
            self.status_code = status_code


_CODES_BY_CLASS: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "invalid",
}


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        inner = _first_message(value)
        return inner if key == "non_field_errors" else f"{key}: {inner}"
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"code": "request_too_large", "message": "The request body is larger than this endpoint accepts."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        # An unexpected error: log it with the traceback, answer without one.
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            {"code": "server_error", "message": "Something went wrong on our side; nothing was changed."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        body: dict[str, Any] = {
            "code": "invalid",
            "message": _first_message(exc.detail),
            "errors": exc.detail,
        }
    else:
        code = exc.get_codes() if not isinstance(exc, DomainError) else exc.detail.code
        if not isinstance(code, str) or code in {"error", "invalid"}:
            code = _CODES_BY_CLASS.get(type(exc), "error")
        body = {"code": code, "message": str(exc.detail)}
    response.data = body
    return response
