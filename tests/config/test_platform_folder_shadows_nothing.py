"""`platform/` is a source root, never a package: nothing in it may shadow a stdlib or installed module."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_DIR = ROOT / "platform"


def test_platform_folder_has_no_init_file() -> None:
    assert not (PLATFORM_DIR / "__init__.py").exists()


def test_stdlib_platform_module_wins() -> None:
    assert Path(platform.__file__).resolve().parent != PLATFORM_DIR
    assert callable(platform.system)


def test_no_child_of_platform_is_a_stdlib_or_installed_module_name() -> None:
    installed = set(importlib.metadata.packages_distributions())
    children = {p.stem for p in PLATFORM_DIR.iterdir() if not p.name.startswith((".", "__"))}
    assert children, "platform/ should hold config and the site's apps"
    clashes = {name for name in children if name in sys.stdlib_module_names or name in installed}
    assert clashes == set(), f"these names under platform/ shadow other modules: {sorted(clashes)}"


def test_no_bare_modules_live_directly_in_platform() -> None:
    assert [p.name for p in PLATFORM_DIR.glob("*.py")] == []


def test_importing_the_web_side_loads_neither_torch_nor_onnxruntime() -> None:
    code = (
        "import sys, django; django.setup(); import config.urls; "
        "heavy = sorted(m for m in ('torch', 'onnxruntime') if m in sys.modules); print(heavy); "
        "sys.exit(1 if heavy else 0)"
    )
    env_path = f"{ROOT}:{PLATFORM_DIR}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": env_path, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
