"""Portal pages: each page's server time (p95) on demo-like data with PostgreSQL, and the dashboard's time to first
render in Chromium.

The benchmark drops and recreates its own database (`veracast_bench_pages`, see bench/_support.py), migrates it and
seeds, with the real services, what a brand has after a few weeks: the personas of the tests (a brand owner, an
operator, a viewer, an auditor, an influencer, a reviewer), MEMBERS more members, PRODUCTS products (one with FAQS
FAQ entries), SCRIPTS scripts, TOKENS API tokens and EVENTS more ledger events. Consent grants, avatars and streams
are not seeded (they need passkeys, the vault and rendering); their pages are covered by the query-count test.

- Server time: each page is requested REQUESTS times through Django's full middleware stack (the test client, in
  process, DEBUG off, so no query log), after one warm-up request; the figure is the p95 of the wall time of
  `client.get`. Target: < 150 ms for every page (issue 11).
- Time to first render: a real server (`manage.py runserver --noreload --insecure`, DEBUG off) on a loopback port,
  Debian's Chromium through Playwright, signed in as the brand owner; the dashboard is loaded LOADS times and each
  load's `first-contentful-paint` is read from the Paint Timing API. Target: < 1 s (p95).

    python bench/bench_pages.py                       # prints the Markdown section
    python bench/bench_pages.py --requests 5 --loads 3  # a quick run while iterating
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _support import bench_database_url, recreate_database  # noqa: E402

DATABASE_NAME = "veracast_bench_pages"
REQUESTS = 40
LOADS = 15
MEMBERS = 25
PRODUCTS = 60
FAQS = 20
SCRIPTS = 30
TOKENS = 5
EVENTS = 300
SERVER_TARGET_MS = 150.0
RENDER_TARGET_MS = 1000.0
PASSWORD = "bench-password-1"  # noqa: S105 - the throw-away bench accounts' password
# Well-formed Unified Social Credit Codes that belong to nobody (the tests' personas' brands).
ACME_USCC = "91310000MA1FACME42"


def _environment(scratch: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": bench_database_url(DATABASE_NAME),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",  # DEBUG would keep every query in memory and serve the debug pages
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
        "VERACAST_DATA_DIR": str(scratch / "data"),
        "VERACAST_INPROCESS_WORKER": "1",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def seed() -> dict[str, Any]:
    """Child process: migrate and seed; returns the ids the pages need."""
    import django

    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts.brands import submit_legal_entity, verify_organisation
    from accounts.invitations import add_member_with_recorded_acceptance
    from accounts.services import (
        create_influencer_profile,
        create_organisation,
        create_user,
        update_organisation,
    )
    from accounts.staff_groups import REVIEWERS
    from accounts.tokens import issue_api_token
    from audit.keys import init_keys
    from streaming.catalog import create_faq_entry, create_product
    from streaming.scripts import create_script

    call_command("migrate", verbosity=0)
    init_keys()
    people = {
        name: create_user(email=f"{name}@bench.example", password=PASSWORD, display_name=name.capitalize())
        for name in ("alice", "bob", "victor", "audrey", "iris")
    }
    sam = create_user(email="sam@bench.example", password=PASSWORD, display_name="Sam", is_staff=True)
    sam.groups.add(Group.objects.get(name=REVIEWERS))
    acme = create_organisation(name="Acme", slug="acme", owner=people["alice"])
    for name, role in (("bob", "operator"), ("victor", "viewer"), ("audrey", "auditor")):
        add_member_with_recorded_acceptance(organisation=acme, user=people[name], role=role, actor=people["alice"])
    for i in range(MEMBERS):
        member = create_user(email=f"member{i}@bench.example", password=None, display_name=f"Member {i}")
        add_member_with_recorded_acceptance(organisation=acme, user=member, role="viewer", actor=people["alice"])
    submit_legal_entity(
        organisation=acme, actor=people["alice"], legal_name="Acme (Shanghai) Co., Ltd.", uscc=ACME_USCC
    )
    verify_organisation(organisation=acme, actor=sam)
    create_influencer_profile(user=people["iris"], stage_name="Iris Live")
    products = [
        create_product(
            organisation=acme,
            actor=people["alice"],
            sku=f"SKU-{i:03d}",
            name=f"丝绒口红 {i}",
            price="129.00",
            category="cosmetics",
            selling_points=["持久", "不沾杯"],
        )
        for i in range(PRODUCTS)
    ]
    for i in range(FAQS):
        create_faq_entry(
            product=products[0], actor=people["alice"], language="zh", question=f"问题 {i}？", answer="好。"
        )
    for i in range(SCRIPTS):
        create_script(
            organisation=acme, actor=people["alice"], title=f"直播话术 {i}", language="zh",
            lines=[{"text": "这款口红颜色很显白。", "language": "zh", "intent": "product"},
                   {"text": "喜欢的朋友点击下方链接。", "language": "zh", "intent": "cart"}],
        )  # fmt: skip
    for _ in range(TOKENS):
        issue_api_token(user=people["alice"])
    for i in range(EVENTS):
        update_organisation(organisation=acme, actor=people["alice"], name=f"Acme {i % 7}")
    update_organisation(organisation=acme, actor=people["alice"], name="Acme")
    return {"acme": str(acme.public_id), "product": str(products[0].public_id)}


def server_times(ids: dict[str, str], requests: int) -> dict[str, Any]:
    """Child process: each page's p95 and median over `requests` requests through the test client."""
    import django

    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    django.setup()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User

    pages = [
        (None, reverse("portal:login")),
        (None, reverse("portal:signup")),
        ("alice", reverse("portal:dashboard")),
        ("bob", reverse("portal:dashboard")),
        ("iris", reverse("portal:dashboard")),
        ("sam", reverse("portal:dashboard")),
        ("audrey", reverse("portal:dashboard")),
        ("alice", reverse("catalog:list")),
        ("alice", reverse("catalog:product", kwargs={"product_id": ids["product"]})),
        ("alice", reverse("accounts-pages:members", kwargs={"public_id": ids["acme"]})),
        ("alice", reverse("scripts:list")),
        ("alice", reverse("streams:list")),
        ("alice", reverse("render:avatars")),
        ("alice", reverse("portal:api-tokens")),
        ("audrey", reverse("ledger-pages:events")),
        ("iris", reverse("consent:my-consents")),
        ("sam", reverse("consent:review-queue")),
        ("sam", reverse("accounts-pages:brand-reviews")),
    ]
    rows = []
    for who, url in pages:
        client = Client()
        if who:
            client.force_login(User.objects.get(email=f"{who}@bench.example"))
        first = client.get(url)
        if first.status_code != 200:
            raise SystemExit(f"{url} as {who} answered {first.status_code}")
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        rows.append({"who": who or "visitor", "url": url, "median_ms": times[len(times) // 2], "p95_ms": _p95(times)})
    return {"rows": rows}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_render(env: dict[str, str], loads: int) -> dict[str, Any]:
    """The dashboard's first-contentful-paint in Chromium against a real server; its server started here."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the bench server did not start") from None
                time.sleep(0.2)
        base = f"http://localhost:{port}"
        paints = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 860})
            page = context.new_page()
            page.goto("/login/")
            page.locator("input[name=username]").fill("alice@bench.example")
            page.locator("input[type=password]").fill(PASSWORD)
            with page.expect_navigation():
                page.locator(".login__form button[type=submit]").click()
            page.goto("/")  # warm the server's and the browser's caches once
            for _ in range(loads):
                page.goto("/", wait_until="load")
                paint = page.evaluate(
                    "() => new Promise(done => { const read = () => {"
                    " const e = performance.getEntriesByName('first-contentful-paint')[0];"
                    " if (e) done(e.startTime); else setTimeout(read, 20); }; read(); })"
                )
                paints.append(float(paint))
            browser.close()
        paints.sort()
        return {"fcp_median_ms": paints[len(paints) // 2], "fcp_p95_ms": _p95(paints), "loads": loads}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _child(mode: str, *args: str, env: dict[str, str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, f"--child={mode}", *args], env=env, capture_output=True, text=True, check=False
    )
    if output.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{output.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def run(requests: int = REQUESTS, loads: int = LOADS) -> str:
    """The Markdown section (bench/run.py calls this)."""
    recreate_database(bench_database_url(DATABASE_NAME))
    scratch = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = _environment(scratch)
    ids = _child("seed", env=env)
    server = _child("server", json.dumps(ids), str(requests), env=env)
    render = _child("render", str(loads), env=env)
    slowest = max(row["p95_ms"] for row in server["rows"])
    parts = ["## Portal pages: server time and the dashboard's first render\n"]
    parts.append(
        f"PostgreSQL, DEBUG off. Seed: the test personas, {MEMBERS} more members, {PRODUCTS} products (one with "
        f"{FAQS} FAQ entries), {SCRIPTS} scripts, {TOKENS} API tokens, {EVENTS} more ledger events. Each page "
        f"requested {requests} times through the full middleware stack (Django's test client) after a warm-up.\n"
    )
    parts.append("| page | as | median ms | p95 ms | target ms | met |")
    parts.append("| --- | --- | ---: | ---: | ---: | --- |")
    for row in server["rows"]:
        met = "yes" if row["p95_ms"] < SERVER_TARGET_MS else "NO"
        parts.append(
            f"| `{row['url']}` | {row['who']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{SERVER_TARGET_MS:.0f} | {met} |"
        )
    parts.append(f"\nSlowest page p95: {slowest:.1f} ms.\n")
    met = "yes" if render["fcp_p95_ms"] < RENDER_TARGET_MS else "NO"
    parts.append(
        f"Dashboard (alice) first-contentful-paint in headless Chromium against `runserver` on loopback, "
        f"{render['loads']} loads: median {render['fcp_median_ms']:.0f} ms, p95 {render['fcp_p95_ms']:.0f} ms "
        f"(target < {RENDER_TARGET_MS:.0f} ms: {met})."
    )
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--loads", type=int, default=LOADS)
    parser.add_argument("args", nargs="*")
    options = parser.parse_args()
    if options.child == "seed":
        print(json.dumps(seed()))
    elif options.child == "server":
        print(json.dumps(server_times(json.loads(options.args[0]), int(options.args[1]))))
    elif options.child == "render":
        print(json.dumps(first_render(dict(os.environ), int(options.args[0]))))
    else:
        print(run(options.requests, options.loads))


if __name__ == "__main__":
    main()
