"""Auditor bundle of a 24-hour stream: build it, verify it with its own verify.py, and their peak memory.

The ledger gets one render job's 43,200 `segment.published` events (two-second segments for 24 hours, payloads the
size and shape of the real ones), appended through the real record path (`audit.services.record_events`, batches of
900, so the chains and hashes are exactly those of production appends), with a checkpoint every 3,600 events (an
hour of segments) and a brand's other events interleaved. Then, each in its own process so that memory is its own:

- build: `audit.exports.build_export` of the stream's subject (the task's code path), timed without Django's start;
- verify: `python -I verify.py` in the unpacked bundle (standard library + cryptography only), timed as a whole.

Targets: <= 60 s to build, <= 30 s to verify, memory bounded (peak RSS printed for both). The benchmark drops and
recreates its own database (`veracast_bench_audit_export`, see bench/_support.py).

    python bench/bench_audit_export.py                  # the full 43,200 segments; prints a Markdown section
    python bench/bench_audit_export.py --segments 3600  # a quick run while iterating
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _support import bench_database_url, recreate_database  # noqa: E402

DATABASE_NAME = "veracast_bench_audit_export"
SEGMENTS = 43_200
BATCH = 900  # divides CHECKPOINT_EVERY, so a checkpoint falls exactly on every hour
CHECKPOINT_EVERY = 3_600
JOB = "00000000-0000-4000-8000-00000000b0b0"


def _environment(keys: Path, data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": bench_database_url(DATABASE_NAME),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "VERACAST_DATA_DIR": str(data),
        "VERACAST_LEDGER_SIGNING_KEY": str(keys / "ledger.pem"),
        "VERACAST_LEDGER_PUBLIC_KEYS_DIR": str(keys / "public"),
        "DJANGO_DEBUG": "0",  # DEBUG would keep every query in memory
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
    }


def _payload(sequence: int) -> dict[str, Any]:
    # The shape of render.engine.segment.SegmentRecord.ledger_payload plus where the segment is stored.
    return {
        "job": JOB,
        "sequence": sequence,
        "uri": f"seg-{sequence:06d}.m4s",
        "sha256": f"{sequence:064x}",
        "bytes": 612_345 + sequence % 977,
        "duration": 2.0,
        "wall_clock_start": f"2026-12-01T{sequence * 2 // 3600 % 24:02d}:{sequence * 2 // 60 % 60:02d}:"
        f"{sequence * 2 % 60:02d}.000000Z",
        "manifest_id": f"urn:c2pa:00000000-0000-4000-8000-{sequence:012x}",
        "previous_manifest_id": f"urn:c2pa:00000000-0000-4000-8000-{max(sequence - 1, 0):012x}",
        "watermark_id": "b0b0b0b0b0b0b0b0",
        "label_parameters": {"text": "AI生成", "position": "top-right", "height_px": 36, "contrast": 7.1},
        "consent_grant_id": "8f14e45f-ceea-467f-a9e6-2f4b7c9d0e11",
        "script_line_ids": [f"l{sequence % 40}"],
        "storage_name": f"stream-b0b0/seg-{sequence:06d}.m4s",
        "init_manifest_id": "urn:c2pa:00000000-0000-4000-8000-000000000000",
    }


def seed(segments: int) -> dict[str, Any]:
    """Child process: a fresh database with the stream's events. Returns the seeding time."""
    import django

    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import Organisation
    from audit.keys import init_keys
    from audit.services import EventSpec, create_checkpoint, record_events

    call_command("migrate", verbosity=0)
    init_keys()
    brand = Organisation.objects.create(name="Bench brand", slug="bench-brand")
    started = time.perf_counter()
    for start in range(0, segments, BATCH):
        specs = [
            EventSpec(
                kind="segment.published",
                subject=f"render_job:{JOB}",
                payload=_payload(sequence),
                actor="system",
                organisation=brand,
            )
            for sequence in range(start, min(start + BATCH, segments))
        ]
        # The brand's other work goes on meanwhile (its events interleave with the stream's in the ledger).
        specs.append(
            EventSpec(kind="product.updated", subject="product:bench", payload={"n": start}, organisation=brand)
        )
        with transaction.atomic():
            record_events(events=specs)
        if (start + BATCH) % CHECKPOINT_EVERY == 0:
            create_checkpoint()
    create_checkpoint()
    return {"seed_s": time.perf_counter() - started}


def build(out: str) -> dict[str, Any]:
    """Child process: build the stream's bundle the way the task does; build time and this process's peak RSS."""
    import django

    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    django.setup()
    from accounts.models import Organisation
    from audit.exports import build_export, create_command_line_export

    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    export = create_command_line_export(
        organisation=Organisation.objects.get(slug="bench-brand"), subject=f"render_job:{JOB}"
    )
    started = time.perf_counter()
    done = build_export(export_id=export.pk, out=Path(out))
    seconds = time.perf_counter() - started
    if done.status != "done":
        raise SystemExit(f"build failed: {done.error_message}")
    return {
        "build_s": seconds,
        "build_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "build_baseline_rss_mib": baseline_kib / 1024,
        "events": done.event_count,
        "bytes": done.size,
    }


def verify(folder: Path) -> dict[str, Any]:
    """Child process: run the bundle's own verifier, isolated; its time and peak RSS (this process's only child)."""
    started = time.perf_counter()
    verified = subprocess.run(
        [sys.executable, "-I", "verify.py"],
        cwd=folder,
        env={"PYTHONPATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if verified.returncode != 0:
        raise SystemExit(f"the bundle did not verify: {verified.stderr}")
    return {
        "verify_s": seconds,
        "verify_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "summary": verified.stdout.strip(),
    }


def _child(mode: str, *args: str, env: dict[str, str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, f"--child={mode}", *args], env=env, capture_output=True, text=True, check=False
    )
    if output.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{output.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def run(segments: int = SEGMENTS) -> str:
    """The Markdown section (bench/run.py calls this)."""
    recreate_database(bench_database_url(DATABASE_NAME))
    scratch = Path(tempfile.mkdtemp(prefix="bench-audit-export-"))
    env = _environment(scratch / "keys", scratch / "data")
    figures: dict[str, Any] = _child("seed", f"--segments={segments}", env=env)
    zip_path = scratch / "bundle.zip"
    figures.update(_child("build", str(zip_path), env=env))
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(scratch / "bundle")
    figures.update(_child("verify", str(scratch / "bundle"), env=env))
    build_ok = "yes" if figures["build_s"] <= 60 else "NO"
    verify_ok = "yes" if figures["verify_s"] <= 30 else "NO"
    parts = ["## Auditor bundle of a 24-hour stream\n"]
    parts.append(
        f"{segments:,} `segment.published` events (+{-(-segments // BATCH):,} other events of the brand "
        f"interleaved), appended through `record_events` in {figures['seed_s']:.1f} s, checkpoint every "
        f"{CHECKPOINT_EVERY:,} events. Bundle: {figures['bytes'] / 1e6:.1f} MB.\n"
    )
    parts.append("| step | seconds | target | met | peak RSS |")
    parts.append("| --- | ---: | ---: | --- | ---: |")
    parts.append(
        f"| build (`build_export`) | {figures['build_s']:.1f} | 60 | {build_ok} | "
        f"{figures['build_peak_rss_mib']:.0f} MiB "
        f"(process at start {figures['build_baseline_rss_mib']:.0f} MiB) |"
    )
    parts.append(
        f"| verify (`python -I verify.py`) | {figures['verify_s']:.1f} | 30 | {verify_ok} | "
        f"{figures['verify_peak_rss_mib']:.0f} MiB |"
    )
    parts.append(f"\n{figures['summary']}")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=SEGMENTS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "seed":
        print(json.dumps(seed(args.segments)))
        return
    if args.child == "build":
        print(json.dumps(build(args.rest[0])))
        return
    if args.child == "verify":
        print(json.dumps(verify(Path(args.rest[0]))))
        return

    print(run(args.segments))


if __name__ == "__main__":
    main()
