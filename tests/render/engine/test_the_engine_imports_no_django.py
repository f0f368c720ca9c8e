"""render/engine/ is a pure library (ARCHITECTURE invariant): no module of it imports Django or the rest of the
project's Django apps, statically anywhere in the file, nor when every module is imported in a fresh process."""

from __future__ import annotations

from tests.purity import ROOT, imported_names, modules_loaded_by, package_modules

ENGINE = ROOT / "render" / "engine"
# The project's Django side: what the engine must never reach into.
FORBIDDEN = ("django", "rest_framework", "celery", "audit", "accounts", "common", "config", "portal", "consent")
ALLOWED_RENDER = "render.engine"


def test_no_engine_module_imports_django_or_a_django_app_anywhere() -> None:
    offending = []
    for path in sorted(ENGINE.rglob("*.py")):
        for name in imported_names(path):
            top = name.split(".")[0]
            if top in FORBIDDEN or (top == "render" and not name.startswith(ALLOWED_RENDER)):
                offending.append(f"{path.relative_to(ROOT)}: {name}")
    assert offending == []


def test_importing_every_engine_module_loads_no_django() -> None:
    assert modules_loaded_by(package_modules(ENGINE), ["django", "rest_framework", "celery"]) == []
