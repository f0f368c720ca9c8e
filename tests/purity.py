"""Checks that a pure library stays pure: the modules it imports (read statically) and what importing it loads (in a
fresh process, so nothing the test run already imported can hide a dependency). Shared by the tests that guard
render/engine, consent/biometrics and streaming/linter."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_names(path: Path) -> list[str]:
    """Every absolute module name `path` imports, anywhere in the file (inside functions too)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def modules_loaded_by(
    modules: Iterable[str], watched: Iterable[str], *, extra: str = "", timeout: int = 240
) -> list[str]:
    """The `watched` top-level modules present in sys.modules after importing `modules` (then running `extra`) in
    a fresh interpreter with only the repository root on the path."""
    code = (
        "import importlib, sys\n"
        f"for name in {sorted(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        f"{extra}\n"
        f"print(','.join(w for w in {sorted(watched)!r} if w in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [m for m in result.stdout.strip().split(",") if m]


def package_modules(folder: Path) -> list[str]:
    """Dotted names of every module under `folder` (packages by their __init__)."""
    names = []
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names
