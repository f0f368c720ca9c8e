"""Every operation in /api/schema/ documents the error statuses the plumbing around it can answer, each with the
shared `Error` body (or one that extends it with details, such as the catalog import's row errors), so that clients
(and schemathesis) know them; the token login documents its lock-out (429)."""

from __future__ import annotations

from typing import Any

import yaml
from django.test import Client

METHODS = {"get", "post", "put", "patch", "delete"}


def _schema() -> dict[str, Any]:
    return yaml.safe_load(Client().get("/api/schema/").content)


def _is_error_body(body: dict[str, Any], components: dict[str, Any]) -> bool:
    """The shared Error body, or a component that carries its `code` and `message` and adds details."""
    if body == {"$ref": "#/components/schemas/Error"}:
        return True
    ref = body.get("$ref", "")
    component = components.get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("#/components/schemas/") else {}
    return {"code", "message"} <= set(component.get("required", ()))


def _operations(schema: dict[str, Any] | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    schema = schema or _schema()
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_error_status_has_the_error_body() -> None:
    schema = _schema()
    components = schema["components"]["schemas"]
    operations = _operations(schema)
    assert len(operations) > 40
    for path, method, operation in operations:
        responses = operation["responses"]
        assert "400" in responses, (method, path)
        if operation.get("security") != [] and path != "/api/v1/auth/token/":
            assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path or method != "get":
            assert "404" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                body = response["content"]["application/json"]["schema"]
                assert _is_error_body(body, components), (method, path, status, body)


def test_the_token_login_documents_its_lock_out() -> None:
    login = {(p, m): o for p, m, o in _operations()}[("/api/v1/auth/token/", "post")]
    assert "429" in login["responses"]
