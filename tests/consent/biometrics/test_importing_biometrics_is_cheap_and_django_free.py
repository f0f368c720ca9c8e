"""Importing consent.biometrics loads no Django and no heavy library; those load inside the functions."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "consent" / "biometrics"
HEAVY = (
    "django", "av", "dlib", "face_recognition_models", "resemblyzer", "torch", "librosa", "numpy", "mediapipe",
    "faster_whisper", "ctranslate2",
)  # fmt: skip


def test_importing_every_module_loads_no_django_and_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "import consent.biometrics, consent.biometrics.envelope, consent.biometrics.media, consent.biometrics.face\n"
        "import consent.biometrics.voice, consent.biometrics.codes, consent.biometrics.speech\n"
        "import consent.biometrics.liveness\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    root = PACKAGE.parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={"PYTHONPATH": str(root)},
    )
    assert result.stdout.strip() == ""


def test_no_module_in_the_package_imports_django_anywhere() -> None:
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "django" or n.startswith("django.") for n in names), path.name


def test_models_are_loaded_once_per_process() -> None:
    from consent.biometrics import face

    assert face._models() is face._models()
    assert face._models.cache_info().currsize == 1
