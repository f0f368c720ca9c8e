"""Consent gate: check latency with a warm and a cold cache, and how fast another process sees a revocation.

Like bench_ledger.py, it drops and recreates its own database (`veracast_bench_consent` on the server
of VERACAST_BENCH_DATABASE_URL, default local PostgreSQL), migrates it, and measures in a child process. Redis is
REDIS_URL (default redis://127.0.0.1:6379/14); the version stamps live there.

- warm: the same use asked WARM_CALLS times (per-process LRU hit + one Redis GET of the version stamp);
- cold: the cache cleared before each of COLD_CALLS calls (one SQL query + the Redis GET);
- revocation: a `manage.py probe_consent_gate` process polls the gate; the parent activates a grant, waits until the
  probe reports it allowed, revokes (Ed25519-confirmed, pub/sub message not listened to), and takes the time from
  commit to the probe's refusal. TRIALS trials; median and max.

Targets: warm p99 < 1 ms; revocation seen by another process < 1 s.

    python bench/bench_consent_gate.py        # prints the Markdown section
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _support import bench_database_url, recreate_database  # noqa: E402

# Overridable so that two checkouts benchmarking on one server do not drop each other's database.
DATABASE_NAME = os.environ.get("VERACAST_BENCH_CONSENT_DATABASE", "veracast_bench_consent")
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
WARM_CALLS = 20_000
COLD_CALLS = 500
TRIALS = 20


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _measure() -> dict[str, Any]:
    import tempfile

    url = bench_database_url(DATABASE_NAME)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    recreate_database(url)
    keys = Path(tempfile.mkdtemp(prefix="consent-bench-keys-"))
    os.environ.update(
        {
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "VERACAST_LEDGER_SIGNING_KEY": str(keys / "ledger.pem"),
            "VERACAST_LEDGER_PUBLIC_KEYS_DIR": str(keys / "public"),
            "VERACAST_DATA_DIR": str(keys / "data"),
            "VERACAST_INPROCESS_WORKER": "1",
            "DJANGO_DEBUG": "0",
        }
    )
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    import django

    django.setup()
    import redis
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.brands import submit_legal_entity, verify_organisation
    from accounts.services import create_influencer_profile, create_organisation, create_user, record_real_name
    from audit.keys import init_keys
    from consent import gate
    from consent.models import ConsentGrant
    from consent.services import (
        create_grant,
        create_template,
        publish_template,
        register_api_signing_key,
        revocation_challenge,
        revoke_consent,
        sign_grant,
    )

    call_command("migrate", verbosity=0)
    init_keys()
    redis.Redis.from_url(redis_url).flushdb()
    staff = create_user(email="sam@bench.example", password=None, is_staff=True)
    from django.contrib.auth.models import Group

    from accounts.staff_groups import REVIEWERS

    staff.groups.add(Group.objects.get(name=REVIEWERS))  # verifying brands takes the reviewers group
    brand_owner = create_user(email="alice@bench.example", password=None)
    brand = create_organisation(name="Acme", slug="acme", owner=brand_owner)
    # Consent goes only to verified brands (a well-formed USCC that belongs to nobody).
    submit_legal_entity(
        organisation=brand, actor=brand_owner, legal_name="Acme Bench Co., Ltd.", uscc="91310000MA1FACME42"
    )
    brand = verify_organisation(organisation=brand, actor=staff)
    iris = create_user(email="iris@bench.example", password=None)
    influencer = create_influencer_profile(user=iris, stage_name="Iris")
    record_real_name(
        user=iris,
        legal_name="Iris Bench",
        id_number="110101199001011237",
        date_of_birth=date(1990, 1, 1),
        method="id_card_nfc",
        verified_by=staff,
    )
    # The gate also asks for her approved impact assessment (PIPL Arts. 55-56): part of every cold evaluation.
    from compliance.assessments import approve_influencer_assessment, save_influencer_assessment

    approve_influencer_assessment(
        assessment=save_influencer_assessment(
            influencer=influencer,
            actor=staff,
            values={
                "purpose_codes": ["livestream_ecommerce", "short_video"],
                "modalities": ["face_likeness", "voice", "body_movement"],
                **dict.fromkeys(("purposes", "data_categories", "necessity", "impact", "measures"), "bench"),
            },
        ),
        actor=staff,
    )
    names = ("controller", "contact", "purpose", "processing_method", "necessity", "impact", "retention_period")
    fields: dict[str, Any] = dict.fromkeys((*names, "recipients", "withdrawal"), "stated")
    fields["modalities"] = {"face_likeness": "face", "voice": "voice", "body_movement": "body"}
    template = publish_template(
        template=create_template(
            family="bench", language="en", title="Bench", body="Body", pipl_fields=fields, actor=staff
        ),
        actor=staff,
    )
    private = Ed25519PrivateKey.generate()
    api_key = register_api_signing_key(
        user=iris,
        public_key=private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
    )

    def activate() -> ConsentGrant:
        now = timezone.now()
        grant = create_grant(
            user=iris,
            template=template,
            brands=[brand],
            modalities=["face_likeness"],
            purposes=["livestream_ecommerce"],
            platforms=["douyin"],
            valid_from=now - timedelta(minutes=1),
            valid_until=now + timedelta(days=30),
        )
        # The statement video step is not what is measured here: mark it passed.
        ConsentGrant.objects.filter(pk=grant.pk).update(status="pending_signature", face_decision="pass")
        grant.refresh_from_db()
        signature = base64.b64encode(private.sign(grant.scope_canonical.encode())).decode()
        return sign_grant(grant=grant, user=iris, ed25519_key_id=api_key.key_id, ed25519_signature=signature)

    def revoke(grant: ConsentGrant) -> None:
        document, _ = revocation_challenge(grant)
        signature = base64.b64encode(private.sign(document.encode())).decode()
        revoke_consent(grant=grant, actor=iris, ed25519_key_id=api_key.key_id, ed25519_signature=signature)

    activate()
    use = {
        "avatar": influencer,
        "brand": brand,
        "purpose": "livestream_ecommerce",
        "platform": "douyin",
        "modalities": ["face_likeness"],
    }
    gate.authorize_use(**use, at=timezone.now())
    warm: list[float] = []
    for _ in range(WARM_CALLS):
        at = timezone.now()
        start = time.perf_counter_ns()
        gate.authorize_use(**use, at=at)
        warm.append((time.perf_counter_ns() - start) / 1e6)
    cold: list[float] = []
    queries: list[int] = []
    for _ in range(COLD_CALLS):
        gate.clear_cache()
        at = timezone.now()
        seen: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any, seen: list[str] = seen) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            start = time.perf_counter_ns()
            gate.authorize_use(**use, at=at)
            cold.append((time.perf_counter_ns() - start) / 1e6)
        queries.append(len(seen))

    # Revocation seen by another process.
    for grant in ConsentGrant.objects.filter(status="active"):
        revoke(grant)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}"}
    probe = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "probe_consent_gate",
            "--influencer",
            str(influencer.pk),
            "--brand",
            str(brand.pk),
            "--rounds",
            str(TRIALS),
            "--timeout",
            "600",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    delays: list[float] = []
    try:
        assert probe.stdout is not None
        for _ in range(TRIALS):
            grant = activate()
            line = probe.stdout.readline().strip()
            if line != "ready":
                raise RuntimeError(f"probe said {line!r}: {probe.stderr.read() if probe.stderr else ''}")
            time.sleep(0.05)
            revoke(grant)
            committed = time.time()
            denied = probe.stdout.readline().split()
            if denied[:2] != ["denied", "revoked"]:
                raise RuntimeError(f"probe said {denied!r}")
            delays.append(max(0.0, float(denied[2]) - committed) * 1000)
    finally:
        probe.kill()
        probe.wait(timeout=10)
    return {
        "warm": warm,
        "cold": cold,
        "cold_queries": statistics.median(queries),
        "delays_ms": delays,
        "redis": bool(settings.REDIS_URL),
    }


def run() -> str:
    result = subprocess.run(
        [sys.executable, __file__, "--child"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ},
    )
    if result.returncode != 0:
        return f"## Consent gate\n\nThe benchmark failed:\n\n```\n{result.stderr[-3000:]}\n```\n"
    data = json.loads(result.stdout.strip().splitlines()[-1])
    warm, cold, delays = data["warm"], data["cold"], data["delays_ms"]
    lines = [
        "## Consent gate",
        "",
        "`consent.gate.authorize_use` on local PostgreSQL, version stamps in local Redis. Warm: per-process LRU hit "
        "plus one Redis GET. Cold: cache cleared before each call. Revocation: another OS process polls the gate "
        "(it does not listen to pub/sub, so only the version stamp can tell it); time from the revoking commit to "
        "its refusal.",
        "",
        "| measure | p50 | p99 | target |",
        "| --- | --- | --- | --- |",
        f"| gate check, warm ({len(warm):,} calls) | {_percentile(warm, 0.5):.3f} ms | "
        f"{_percentile(warm, 0.99):.3f} ms | p99 < 1 ms |",
        f"| gate check, cold ({len(cold):,} calls, {data['cold_queries']:.0f} SQL query each) | "
        f"{_percentile(cold, 0.5):.3f} ms | {_percentile(cold, 0.99):.3f} ms | |",
        "",
        f"Revocation seen by another process, {len(delays)} trials: median {statistics.median(delays):.1f} ms, "
        f"max {max(delays):.1f} ms (target < 1 s).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_measure()))
    else:
        print(run())
