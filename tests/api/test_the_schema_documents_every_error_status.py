"""Every operation in /api/schema/ documents the error statuses the plumbing around it can answer, each with the
shared `Error` body, so that clients (and schemathesis) know them; the token login documents its lock-out (429)."""

from __future__ import annotations

from typing import Any

import yaml
from django.test import Client

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = yaml.safe_load(Client().get("/api/schema/").content)
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_error_status_has_the_error_body() -> None:
    operations = _operations()
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
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_the_token_login_documents_its_lock_out() -> None:
    login = {(p, m): o for p, m, o in _operations()}[("/api/v1/auth/token/", "post")]
    assert "429" in login["responses"]
