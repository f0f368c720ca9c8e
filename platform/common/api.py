"""API plumbing shared by every app: the error format.

Every API error is JSON with a stable machine-readable `code`, a human `message`, and for validation errors the
per-field `errors` (messages) and `error_codes` (one stable code per message, e.g. `required`, `unknown_field`).
Clients switch on `code`; `message` is for people and may change wording.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.serializers import UNKNOWN_FIELD

logger = logging.getLogger(__name__)


class DomainError(exceptions.APIException):
    """A refusal by a service, raised with a stable code (e.g. `consent_revoked`)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state."

    def __init__(self, message: str, *, code: str, status_code: int | None = None) -> None:
        super().__init__(detail=message, code=code)
        self.code = code
        if status_code is not None:
            self.status_code = status_code  # type: ignore[assignment]


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


def _flat_codes(codes: Any) -> list[str]:
    if isinstance(codes, dict):
        return [code for value in codes.values() for code in _flat_codes(value)]
    if isinstance(codes, list):
        return [code for value in codes for code in _flat_codes(value)]
    return [str(codes)]


def _stable_code(exc: exceptions.APIException) -> str:
    """The code clients switch on: a service's own code when it gave one, else the one named for the class.

    DRF's default codes (`parse_error`, `not_authenticated`, ...) are replaced by ours so the vocabulary is one.
    """
    if isinstance(exc, DomainError):
        return str(getattr(exc.detail, "code", None) or exc.default_code)
    code = exc.get_codes()
    if isinstance(code, str) and code not in {"error", "invalid", exc.default_code}:
        return code
    for cls in type(exc).__mro__:
        if cls in _CODES_BY_CLASS:
            return _CODES_BY_CLASS[cls]
    return code if isinstance(code, str) else "error"


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
    elif isinstance(exc, DjangoValidationError):
        # A model's clean() refused the data: the same answer as a serializer refusal.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

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
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        codes = exc.get_codes()
        error_codes = codes if isinstance(codes, dict) else {"non_field_errors": codes}
        # Unknown fields get their own top-level code: the client sent a different shape, not a bad value.
        top = UNKNOWN_FIELD if UNKNOWN_FIELD in _flat_codes(codes) else "invalid"
        body: dict[str, Any] = {
            "code": top,
            "message": _first_message(detail),
            "errors": detail,
            "error_codes": error_codes,
        }
    else:
        body = {"code": _stable_code(exc), "message": str(exc.detail)}
    response.data = body
    return response
