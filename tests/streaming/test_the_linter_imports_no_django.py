"""streaming/linter/ is a pure library: no module of it imports Django, and importing it (and linting a line) in a
fresh process loads none; the catalog's prices reach it as plain values."""

from __future__ import annotations

from tests.purity import ROOT, imported_names, modules_loaded_by, package_modules

LINTER = ROOT / "streaming" / "linter"


def test_no_linter_module_imports_django_anywhere() -> None:
    offending = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(LINTER.rglob("*.py"))
        for name in imported_names(path)
        if name.split(".")[0] in ("django", "rest_framework", "accounts", "consent", "render")
        or (name.startswith("streaming.") and not name.startswith(("streaming.linter", "streaming.categories")))
    ]
    assert offending == []


def test_importing_every_linter_module_loads_no_django() -> None:
    extra = "from streaming.linter import lint_line\nassert lint_line('国家级', language='zh')"
    assert modules_loaded_by(package_modules(LINTER), ["django"], extra=extra) == []
