"""render/engine/ is a pure library (ARCHITECTURE invariant): no module of it imports Django or the rest of the
project's Django apps, statically anywhere in the file, nor when every module is imported in a fresh process."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "render" / "engine"
# The project's Django side: what the engine must never reach into.
FORBIDDEN = ("django", "rest_framework", "celery", "audit", "accounts", "common", "config", "portal", "consent")
ALLOWED_RENDER = "render.engine"


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_engine_module_imports_django_or_a_django_app_anywhere() -> None:
    offending = []
    for path in sorted(ENGINE.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in FORBIDDEN or (top == "render" and not name.startswith(ALLOWED_RENDER)):
                offending.append(f"{path.relative_to(ROOT)}: {name}")
    assert offending == []


def test_importing_every_engine_module_loads_no_django() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in ENGINE.rglob("*.py")
        if p.name != "__init__.py" and p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""
