"""Runs every benchmark module in bench/ and writes docs/benchmarks.md with the machine and the date.

Each `bench/bench_*.py` exposes `run() -> str`, returning one Markdown section. Benchmarks compare against a real
baseline measured in the same run and report medians, because the machines are shared and noisy.

    python bench/run.py                 # all of them (make bench)
    python bench/run.py ledger lipsync  # only those whose name contains a word; the other sections are kept, if
                                        # the file was written on this same machine
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import platform
import re
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


def _hardware(machine: str) -> str:
    return machine.split(";", 1)[0].strip()


def load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load benchmark module {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses (and pickling) look their module up by name
    spec.loader.exec_module(module)
    return module


MARKER = "<!-- bench:{} -->"
_MARKER_RE = re.compile(r"^<!-- bench:(bench_[a-z0-9_]+) -->$", re.MULTILINE)
_MACHINE_RE = re.compile(r"^Machine: (.*)\.$", re.MULTILINE)


def existing_sections(text: str) -> dict[str, str]:
    """The sections of a docs/benchmarks.md written by this script, keyed by benchmark module."""
    marks = list(_MARKER_RE.finditer(text))
    return {
        m.group(1): text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)].strip()
        for i, m in enumerate(marks)
    }


def main(selected: list[str]) -> int:
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    modules = sorted((ROOT / "bench").glob("bench_*.py"))
    machine = machine_description()
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    kept: dict[str, str] = {}
    if selected:
        # A partial run replaces only its own sections, and only where the rest was measured on this same machine:
        # figures from two machines side by side would invite exactly the comparison the ratios are there to avoid.
        previous = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        found = _MACHINE_RE.search(previous)
        # The hardware must match (CPU model, cores, memory); the kernel build and package versions may move between
        # sessions on the same machine class without making the ratios incomparable.
        if found is None or _hardware(found.group(1)) != _hardware(machine):
            print(f"{OUTPUT} was not written on this machine: run `make bench` (all benchmarks) instead.")
            return 2
        kept = existing_sections(previous)
        modules = [m for m in modules if any(s in m.stem for s in selected)]
    sections = dict(kept)
    failed = []
    for path in modules:
        print(f"running {path.name} ...", flush=True)
        try:
            sections[path.stem] = load(path).run()  # type: ignore[attr-defined]
        except Exception as exc:  # one broken benchmark must not throw away the others' figures
            traceback.print_exc()
            failed.append(path.name)
            sections[path.stem] = f"## {path.stem}\n\nThis benchmark failed in this run: `{type(exc).__name__}: {exc}`."
    written = f"Written by `make bench` (bench/run.py) on {today}."
    if selected:
        first = re.search(r"^Written by `make bench` \(bench/run.py\) on ([0-9-]+)\.", previous, re.MULTILINE)
        since = first.group(1) if first else today
        written = (
            f"Written by `make bench` (bench/run.py) on {since}; re-run on {today} on the same machine: "
            + ", ".join(f"`{m.stem}`" for m in modules)
            + "."
        )
    header = (
        "# Benchmarks\n\n"
        f"{written}\n\n"
        f"Machine: {machine}.\n\n"
        "Figures are medians of several runs on a shared machine; compare ratios measured in the same run, "
        "not absolute numbers across runs.\n"
    )
    body = "\n\n".join(f"{MARKER.format(name)}\n{sections[name].strip()}" for name in sorted(sections))
    OUTPUT.write_text(header + "\n" + body + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}")
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
