"""The OpenAPI schema's error answers, documented in one place for every operation.

Each operation's own `@extend_schema(responses=...)` names its success and any error it wants to describe in words;
this AutoSchema adds, with the shared `Error` body, every error status the plumbing around the view can answer:
400 for a body (validation, `malformed_json`), 401/403 where authentication or a role is needed, 404 where the path
or the body names an object, 409 for a refused write (`DomainError`'s default), 413/415 for bodies too large or of
another type, 503 for a write that needs a key the deployment lacks (the vault's, the platform's signing key).
Schemathesis (tests/api/test_the_api_conforms_to_its_schema.py) fails on any status a schema leaves out.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DESCRIPTIONS = {
    "400": "The request is malformed or invalid (`malformed_json`, `malformed_request`, `invalid`, ...).",
    "401": "Authentication is missing or failed (`not_authenticated`, `authentication_failed`).",
    "403": "Not allowed for this user, or no credentials with a browser session (`permission_denied`, ...).",
    "404": "No such object visible to this user, in the path or named in the body (`not_found`).",
    "409": "The request conflicts with the current state (a service's own `code`).",
    "413": "The request body is too large (`request_too_large`).",
    "415": "The body's content type is not accepted here (`unsupported_media_type`).",
    "503": "A key this write needs is not configured (`vault_unavailable`, `signing_key_unavailable`).",
}


class ErrorSerializer(serializers.Serializer[Any]):
    """Every API error (common/api.py)."""

    code = serializers.CharField(help_text="Stable, machine-readable; clients switch on it.")
    message = serializers.CharField(help_text="For people; the wording may change.")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field; the metaclass pops it off the class
        required=False, help_text="Validation errors only: messages per field."
    )
    error_codes = serializers.DictField(required=False, help_text="Validation errors only: codes per field.")

    class Meta:
        ref_name = "Error"


class VeracastAutoSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        # Any request may be malformed: a JSON body (`malformed_json`) or a NUL in the address (`malformed_request`).
        codes: list[str] = ["400"]
        has_body = self.method in WRITE_METHODS
        if has_body:
            codes += ["409", "503"]
            if self.method != "DELETE":
                codes += ["413", "415"]
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or has_body:
            codes.append("404")  # an object named in the path, or in the body (e.g. a brand's id)
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        codes = set(self._error_codes()) | {code for code in responses if code.startswith(("4", "5"))}
        for code in sorted(codes):
            existing = responses.get(code) or {}
            if existing.get("content"):
                continue  # the view documents its own body for this status
            entry = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            entry["description"] = existing.get("description") or DESCRIPTIONS.get(code, "An error.")
            responses[code] = entry
        return responses
