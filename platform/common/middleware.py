"""Request guards that must hold for every URL, DRF or not, before authentication or any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from common import safejson
from common.views import _error

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class MalformedJSONMiddleware:
    """Answer 400 `malformed_json` to any JSON body that `safejson.loads` refuses.

    It runs before authentication on purpose: a pathological body is refused the same way on the token login, the
    WebAuthn endpoints and every authenticated endpoint, and no code path can reach a recursive parse of it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS and safejson.is_json_content_type(request.content_type or ""):
            try:
                body = request.body
            except RequestDataTooBig:
                body = b""  # the view answers 413 when it reads the body (common.api.exception_handler)
            if body:
                try:
                    safejson.loads(body)
                except safejson.MalformedJSONError as exc:
                    return JsonResponse({"code": safejson.CODE, "message": str(exc)}, status=400)
        return self.get_response(request)


class NulByteMiddleware:
    """Answer 400 `malformed_request` to a NUL character in the path or a query parameter.

    No identifier, filter or text Veracast stores can hold one, and PostgreSQL refuses it in text columns, so a
    filter such as `?kind=%00` would otherwise end in a database error (a 500) wherever a view forgot to check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return _error(request, 400, "malformed_request", "The address contains a NUL character.")
        return self.get_response(request)
