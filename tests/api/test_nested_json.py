"""Attack: nested JSON. Pathological JSON bodies (100,000 nested brackets, numbers no column holds, NaN) answer
400 `malformed_json` on every URL that takes a body, whether or not the caller is signed in, and change nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000  # 200 kB, under the 1 MB body limit
BODIES = {
    "deep_array": DEEP_ARRAY,
    "deep_object": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "deep_inside_a_field": '{"email": "a@b.example", "password": ' + "[" * 60_000 + "]" * 60_000 + "}",
    "depth_40": "[" * 40 + "]" * 40,
    "huge_integer": '{"limit": ' + "9" * 4000 + "}",
    "beyond_64_bits": '{"hours_per_day": 99999999999999999999}',
    "huge_float": '{"x": 1e999}',
    "nan": '{"x": NaN}',
    "not_utf8": b'{"x": "\xff\xfe"}',
}
SAMPLE_IDS = {
    "uuid": "00000000-0000-4000-8000-000000000000",
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry.callback


def _body_methods(callback: Any) -> list[str]:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return [m.upper() for m in ("post", "put", "patch") if hasattr(view_class, m)]
    return ["POST"]  # a function view: it may read a body whatever it says


def _concrete(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_IDS.get(m.group(1) or "str", "x"), route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "")


def _targets() -> list[tuple[str, str]]:
    found = []
    for route, callback in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "static/", "media/")) or "(?P" in route:
            continue  # Django's admin forms are form-encoded; regex routes have no JSON views
        found.extend((method, _concrete(route)) for method in _body_methods(callback))
    return sorted(set(found))


TARGETS = _targets()


def test_every_json_endpoint_is_covered() -> None:
    paths = {path for _method, path in TARGETS}
    assert "/api/v1/auth/token/" in paths
    assert "/api/v1/consent/passkeys/" in paths
    assert "/api/v1/consent/grants/x/sign/" in paths
    assert len(TARGETS) >= 20


@pytest.mark.parametrize("who", ["anonymous", "alice", "iris"])
def test_pathological_bodies_get_malformed_json_everywhere(
    who: str, client_for: Callable[[str], APIClient], db_counts: Callable[[], dict[str, int]]
) -> None:
    client = client_for(who)
    before = db_counts()
    for method, path in TARGETS:
        for name, body in BODIES.items():
            response = client.generic(method, path, body, content_type="application/json")
            assert response.status_code == 400, (method, path, name, response.status_code, response.content[:200])
            assert response.json()["code"] == "malformed_json", (method, path, name)
            assert response.json()["message"]
    assert db_counts() == before


def test_reasonable_json_still_works(client_for: Callable[[str], APIClient]) -> None:
    response = client_for("alice").post("/api/v1/organisations/", {"name": "Initech", "slug": "initech"}, format="json")
    assert response.status_code == 201, response.content
