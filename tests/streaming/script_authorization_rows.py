"""Rows for tests/api/test_authorization_matrix.py covering the script API (merged there with
`MATRIX.update(script_rows(Row, _statuses))`).

The rows address a REAL, unapproved script of Acme written by alice (`ctx["scripts"]`). Acme's members and platform
readers read (200); alice (owner) writes scripts (201; a save on a stale base version is 409; generating from a
product not in the catalog is 400) while bob (operator), victor, audrey and staff are refused (403). Approval needs
the owner or reviewer role, a real-name record and a passkey: alice has no real-name record here (403), everyone
else is refused by role (403). Rendering is render's write: alice and bob reach the approval check (409:
the version is not approved). charlie (Globex) and iris meet Acme's ids as 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LINES = [{"id": "d", "text": "本直播间由AI数字人主播出镜。", "language": "zh", "intent": "disclosure"}]


class ScriptContext:
    def __init__(self, ctx: dict[str, Any]) -> None:
        from streaming.scripts import latest_version
        from streaming.services import create_script

        self.script = create_script(
            organisation=ctx["acme"], actor=ctx["alice"], title="Matrix", language="zh", lines=LINES
        )
        self.version = latest_version(self.script)


def _scripts(ctx: dict[str, Any]) -> ScriptContext:
    if "scripts" not in ctx:
        ctx["scripts"] = ScriptContext(ctx)
    found: ScriptContext = ctx["scripts"]
    return found


def script_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]]) -> dict:
    acme = {"kwargs": lambda ctx: {"public_id": ctx["acme"].public_id}}
    script = {"kwargs": lambda ctx: {"script_id": str(_scripts(ctx).script.public_id)}}
    version = {
        "kwargs": lambda ctx: {
            "script_id": str(_scripts(ctx).script.public_id),
            "version_id": str(_scripts(ctx).version.public_id),
        }
    }
    read = statuses(200, charlie=404, iris=404)

    def write(status: int) -> dict[str, int]:
        return statuses(403, alice=status, charlie=404, iris=404)

    def render_avatar(ctx: dict[str, Any]) -> str:
        from tests.render.authorization_rows import _render

        return str(_render(ctx).avatar.public_id)

    return {
        ("catalog-api:scripts", "GET"): row(read, **acme),
        ("catalog-api:scripts", "POST"): row(
            write(201), body=lambda ctx, p: {"title": f"{p} script", "language": "zh", "lines": LINES}, **acme
        ),
        ("catalog-api:script-generate", "POST"): row(
            write(400),
            body=lambda ctx, p: {"product_ids": ["00000000-0000-0000-0000-000000000000"], "language": "zh"},
            **acme,
        ),
        ("catalog-api:script-detail", "GET"): row(read, **script),
        ("catalog-api:script-versions", "POST"): row(
            write(409), body=lambda ctx, p: {"base_number": 99, "lines": LINES}, **script
        ),
        ("catalog-api:script-version-detail", "GET"): row(read, **version),
        ("catalog-api:script-approval-options", "POST"): row(
            statuses(403, charlie=404, iris=404), body=lambda ctx, p: {"expected_sha256": "0" * 64}, **version
        ),
        ("catalog-api:script-approval", "POST"): row(
            statuses(403, charlie=404, iris=404),
            body=lambda ctx, p: {"expected_sha256": "0" * 64, "credential": {"id": "x"}},
            **version,
        ),
        ("catalog-api:script-render", "POST"): row(
            statuses(403, alice=409, bob=409, charlie=404, iris=404),
            body=lambda ctx, p: {"avatar": render_avatar(ctx), "purpose": "livestream_ecommerce", "platform": "douyin"},
            **version,
        ),
    }
