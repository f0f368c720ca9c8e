"""Shared fixtures: the personas every test speaks of, and the real-service markers.

Personas (healthchecks style, so access rules read like a story):
- alice owns the brand Acme; bob is Acme's operator; victor is Acme's viewer; audrey audits Acme (each accepted
  alice's invitation).
- charlie owns the brand Globex and must never see anything of Acme's. Both brands are verified by sam.
- iris is an influencer; sam is platform staff in the reviewers group (reviews consents, verifies brands).
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from django.conf import settings


def skip_unless_required(reason: str) -> None:
    """A missing real service: a failure under REQUIRE_SERVICES=1 (CI), otherwise a skip that says why."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(f"{reason} (set REQUIRE_SERVICES=1 to fail)")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile stale message catalogs before any page is rendered (tests/catalogs.py). If that cannot be done, the
    i18n tests fail and say why (tests/portal/i18n/test_the_chinese_catalogs_are_complete_and_compiled.py)."""
    from tests.catalogs import compile_stale_catalogs

    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # pytest -n: the controlling process compiled them before it started its workers (no two writers)
    compile_stale_catalogs()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = [
        (marker, name)
        for marker, name, available in (
            ("postgres", "PostgreSQL", settings.POSTGRES_AVAILABLE),
            ("redis", "Redis", settings.REDIS_AVAILABLE),
        )
        if not available
    ]
    if missing and os.environ.get("REQUIRE_SERVICES") == "1":
        # settings.test already refuses to load in this case; say it here too rather than skip anything.
        raise pytest.UsageError(f"REQUIRE_SERVICES=1 but {', '.join(n for _m, n in missing)} cannot be reached.")
    for item in items:
        for marker, name in missing:
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"{name} not reachable (set REQUIRE_SERVICES=1 to fail)"))


@pytest.fixture(autouse=True)
def _fresh_speech_cache() -> None:
    """Each test hears its own backends: the engine keeps speech per process (render.engine.speech.backends), so a
    line one test spoke would otherwise skip the backend a later test counts, slows down or breaks on purpose."""
    from render.engine.speech import clear_speech_cache

    clear_speech_cache()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's default language: a request through LocaleMiddleware leaves the language it
    chose active on the thread, so a Chinese page rendered by one test would otherwise translate the next test's
    service messages (an order-dependent failure)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def playwright_driver() -> Any:
    """The session's one Playwright driver. Playwright's sync API runs an event loop in this thread, and Django
    refuses database access from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set."""
    from tests.browser import require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Any:
    """One headless Chromium for the session; each test opens its own context."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


# Well-formed Unified Social Credit Codes (both check characters right) of the personas' brands.
ACME_USCC = "91310000MA1FACME42"
GLOBEX_USCC = "91440300MA5GLBEX4X"


@pytest.fixture
def personas(db: Any) -> dict[str, Any]:
    from accounts.brands import submit_legal_entity, verify_organisation
    from accounts.invitations import add_member_with_recorded_acceptance
    from accounts.models import Membership
    from accounts.services import create_organisation, create_user, record_real_name

    alice = create_user(email="alice@acme.example", password="alice-password-1", display_name="Alice")
    bob = create_user(email="bob@acme.example", password="bob-password-1", display_name="Bob")
    victor = create_user(email="victor@acme.example", password="victor-password-1", display_name="Victor")
    audrey = create_user(email="audrey@audit.example", password="audrey-password-1", display_name="Audrey")
    charlie = create_user(email="charlie@globex.example", password="charlie-password-1", display_name="Charlie")
    iris = create_user(email="iris@creators.example", password="iris-password-1", display_name="Iris")
    sam = create_user(email="sam@veracast.example", password="sam-password-1", display_name="Sam", is_staff=True)

    # sam reviews consents and verifies brands: platform staff in the reviewers group (accounts.staff_groups).
    from django.contrib.auth.models import Group

    from accounts.staff_groups import REVIEWERS

    sam.groups.add(Group.objects.get(name=REVIEWERS))

    acme = create_organisation(name="Acme", slug="acme", owner=alice)
    globex = create_organisation(name="Globex", slug="globex", owner=charlie)
    # Members join by accepting an invitation; both brands' legal entities are verified by staff (sam), since
    # nobody can grant consent to an unverified brand. The codes are well-formed (GB 32100) and belong to nobody.
    for member, role in ((bob, Membership.Role.OPERATOR), (victor, Membership.Role.VIEWER), (audrey, "auditor")):
        add_member_with_recorded_acceptance(organisation=acme, user=member, role=role, actor=alice)
    submit_legal_entity(organisation=acme, actor=alice, legal_name="Acme Trading (Shanghai) Co., Ltd.", uscc=ACME_USCC)
    submit_legal_entity(
        organisation=globex, actor=charlie, legal_name="Globex Foods (Shenzhen) Co., Ltd.", uscc=GLOBEX_USCC
    )
    acme = verify_organisation(organisation=acme, actor=sam)
    globex = verify_organisation(organisation=globex, actor=sam)

    from accounts.services import create_influencer_profile

    create_influencer_profile(user=iris, stage_name="Iris Live")
    record_real_name(
        user=iris,
        legal_name="Iris Example",
        id_number="110101199001011237",
        date_of_birth=date(1990, 1, 1),
        method="id_card_nfc",
        verified_by=sam,
    )
    # The consent gate needs her impact assessment before any biometric use (PIPL Arts. 55-56): staff approve one.
    from tests.pia import assess

    assess(iris.influencer, sam)
    return {
        "alice": alice,
        "bob": bob,
        "victor": victor,
        "audrey": audrey,
        "charlie": charlie,
        "iris": iris,
        "sam": sam,
        "acme": acme,
        "globex": globex,
    }


@pytest.fixture
def celery_worker_process(transactional_db: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A real `celery worker` process on both queues, against the test database and the test Redis database.

    The test process stops running tasks eagerly for the duration, so `.delay()`/`.delay_on_commit()` go through Redis.
    Yields a small handle with `.env` (what the worker was started with) and `.log_path`.
    """
    import subprocess
    import sys
    import time
    from pathlib import Path
    from types import SimpleNamespace

    import redis
    from django.db import connection

    from config import celery_app

    if not settings.REDIS_AVAILABLE:
        skip_unless_required("Redis not reachable")
    if connection.vendor != "postgresql":
        skip_unless_required("a worker process needs the shared PostgreSQL test database")

    redis_url = settings.REDIS_URL
    redis.Redis.from_url(redis_url).flushdb()
    root = Path(__file__).resolve().parents[1]
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{root}:{root / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VERACAST_INPROCESS_WORKER": "0",
        "VERACAST_KEYS_DIR": str(settings.KEYS_DIR),
        "VERACAST_DATA_DIR": str(settings.DATA_DIR),
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,render",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=root,
        )
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"celery worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield SimpleNamespace(process=process, env=env, log_path=log_path)
    finally:
        celery_app.conf.task_always_eager = previous_eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
