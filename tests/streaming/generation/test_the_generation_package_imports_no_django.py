"""streaming/generation/ and streaming/script_diff.py are pure: they import no Django (nor the portal's apps), and
importing them, generating a script and diffing two versions in a fresh process loads none."""

from __future__ import annotations

from tests.purity import ROOT, imported_names, modules_loaded_by, package_modules

GENERATION = ROOT / "streaming" / "generation"
DIFF = ROOT / "streaming" / "script_diff.py"
ALLOWED = ("streaming.generation", "streaming.linter", "streaming.categories")


def test_no_generation_module_imports_django_anywhere() -> None:
    offending = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in [*sorted(GENERATION.rglob("*.py")), DIFF]
        for name in imported_names(path)
        if name.split(".")[0] in ("django", "rest_framework", "accounts", "consent", "render", "audit")
        or (name.startswith("streaming.") and not name.startswith(ALLOWED))
    ]
    assert offending == []


def test_generating_and_diffing_in_a_fresh_process_loads_no_django() -> None:
    extra = (
        "from decimal import Decimal\n"
        "from streaming.generation import ProductFacts, generate_builtin\n"
        "from streaming.script_diff import diff_lines\n"
        "p = ProductFacts('p', '面霜', Decimal('99'), 'CNY', None, ('清爽',), 'cosmetics')\n"
        "lines = [l.as_dict() | {'id': str(i)} for i, l in enumerate(generate_builtin(products=[p], language='zh',"
        " brand_name='Acme', seed=1))]\n"
        "assert diff_lines(lines, lines[1:])[0].op == 'removed'\n"
    )
    modules = [*package_modules(GENERATION), "streaming.script_diff"]
    assert modules_loaded_by(modules, ["django"], extra=extra) == []
