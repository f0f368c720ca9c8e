"""streaming/live/ is a pure library: no module of it imports Django or the web apps, and importing it (and building
a pusher's URL checks) in a fresh process loads none. It may use the render engine, which is pure too."""

from __future__ import annotations

from tests.purity import ROOT, imported_names, modules_loaded_by, package_modules

LIVE = ROOT / "streaming" / "live"


def test_no_live_module_imports_django_anywhere() -> None:
    offending = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(LIVE.rglob("*.py"))
        for name in imported_names(path)
        if name.split(".")[0] in ("django", "rest_framework", "accounts", "consent", "audit", "celery", "channels")
        or (name.startswith("streaming.") and not name.startswith("streaming.live"))
        or (name.startswith("render.") and not name.startswith("render.engine"))
    ]
    assert offending == []


def test_importing_every_live_module_loads_no_django() -> None:
    extra = "from streaming.live import mask_rtmp_url\nassert mask_rtmp_url('rtmp://h/live/k') == 'rtmp://h/live/****'"
    assert modules_loaded_by(package_modules(LIVE), ["django", "celery"], extra=extra) == []
