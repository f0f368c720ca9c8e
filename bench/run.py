"""Runs every benchmark module in bench/ and writes docs/benchmarks.md with the machine and the date.

Each `bench/bench_*.py` exposes `run() -> str`, returning one Markdown section. Benchmarks compare against a real
baseline measured in the same run and report medians, because the machines are shared and noisy.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import platform
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "benchmarks.md"


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    system = f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores{memory}; {system}; {pg}"


def load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load benchmark module {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(selected: list[str]) -> int:
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    modules = sorted((ROOT / "bench").glob("bench_*.py"))
    if selected:
        modules = [m for m in modules if any(s in m.stem for s in selected)]
    sections = []
    failed = []
    for path in modules:
        print(f"running {path.name} ...", flush=True)
        try:
            sections.append(load(path).run())  # type: ignore[attr-defined]
        except Exception as exc:  # one broken benchmark must not throw away the others' figures
            traceback.print_exc()
            failed.append(path.name)
            sections.append(f"## {path.stem}\n\nThis benchmark failed in this run: `{type(exc).__name__}: {exc}`.")
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    header = (
        "# Benchmarks\n\n"
        f"Written by `make bench` (bench/run.py) on {today}.\n\n"
        f"Machine: {machine_description()}.\n\n"
        "Figures are medians of several runs on a shared machine; compare ratios measured in the same run, "
        "not absolute numbers across runs.\n"
    )
    OUTPUT.write_text(header + "\n" + "\n\n".join(s.strip() for s in sections) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}")
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
