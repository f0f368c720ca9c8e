"""Every portal page, opened in zh-Hans by the personas who see its different parts, is in Chinese: no gettext call
made while rendering it misses the catalog (tests/portal/i18n/misses.py), and the page says it is zh-hans.

The pages are found by walking the URL resolver (everything but the admin, the API and Django's i18n views): a new
page must be added to PAGES below, or answer GET with 405 (a form's POST target), or this test fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.portal.i18n.misses import recording_misses

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NOT_PORTAL = ("admin", "api", "i18n", "healthz")

# url name -> [(who opens it, its URL kwargs from the world)]; None is a visitor who has not signed in.
Kwargs = Callable[[SimpleNamespace], dict[str, Any]]
PAGES: dict[str, list[tuple[str | None, Kwargs]]] = {
    "portal:login": [(None, lambda w: {})],
    "portal:signup": [(None, lambda w: {})],
    "portal:signup-brand": [(None, lambda w: {})],
    "portal:dashboard": [(who, lambda w: {}) for who in ("alice", "bob", "victor", "audrey", "iris", "sam")],
    "portal:api-tokens": [("alice", lambda w: {})],
    "consent:my-consents": [("iris", lambda w: {})],
    "consent:wizard": [("iris", lambda w: {})],
    "consent:sample": [("iris", lambda w: {})],
    "consent:grant": [
        ("iris", lambda w: {"grant_id": w.grant.public_id}),
        ("iris", lambda w: {"grant_id": w.in_review.public_id}),
        ("iris", lambda w: {"grant_id": w.draft.public_id}),
    ],
    "consent:receipt": [("iris", lambda w: {"grant_id": w.grant.public_id})],
    "consent:brand": [("alice", lambda w: {"organisation_id": w.acme.public_id})],
    "consent:review-queue": [("sam", lambda w: {})],
    "consent:review-grant": [
        ("sam", lambda w: {"grant_id": w.reviewable.public_id}),
        ("sam", lambda w: {"grant_id": w.reviewed.public_id}),
    ],
    "render:avatars": [("alice", lambda w: {})],
    "render:avatar": [
        ("alice", lambda w: {"avatar_id": w.avatar.public_id}),
        ("sam", lambda w: {"avatar_id": w.avatar.public_id}),
    ],
    "render:job": [("alice", lambda w: {"job_id": w.job.public_id}), ("sam", lambda w: {"job_id": w.job.public_id})],
    # the consents that name Acme (alice); a viewer is told why they cannot build (victor)
    "render:avatar-new": [("alice", lambda w: {}), ("victor", lambda w: {})],
    "render:job-new": [("alice", lambda w: {"avatar_id": w.avatar.public_id})],
    "render:short-video-new": [("alice", lambda w: {"avatar_id": w.avatar.public_id})],
    "catalog:list": [("alice", lambda w: {}), ("iris", lambda w: {})],
    "catalog:product-new": [("alice", lambda w: {"public_id": w.acme.public_id})],
    "catalog:import": [("alice", lambda w: {"public_id": w.acme.public_id})],
    "catalog:product": [
        ("alice", lambda w: {"product_id": w.product.public_id}),
        ("victor", lambda w: {"product_id": w.product.public_id}),
    ],
    "accounts-pages:my-invitations": [("iris", lambda w: {})],
    "accounts-pages:members": [
        ("alice", lambda w: {"public_id": w.acme.public_id}),
        ("charlie", lambda w: {"public_id": w.initech.public_id}),
    ],
    "accounts-pages:brand-reviews": [("sam", lambda w: {})],
    "accounts-pages:brand-review": [
        ("sam", lambda w: {"public_id": w.initech.public_id}),
        ("sam", lambda w: {"public_id": w.acme.public_id}),
    ],
    "scripts:list": [("alice", lambda w: {}), ("victor", lambda w: {}), ("iris", lambda w: {})],
    "scripts:editor": [
        ("alice", lambda w: {"public_id": w.script.public_id}),
        ("victor", lambda w: {"public_id": w.script.public_id}),
    ],
    "scripts:review": [
        # the approved version: its overrides and the short-video form; then the later one, to approve or not
        ("alice", lambda w: {"public_id": w.script.public_id, "number": w.approved_version.number}),
        ("rita", lambda w: {"public_id": w.script.public_id, "number": w.latest_version.number}),
        ("victor", lambda w: {"public_id": w.script.public_id, "number": w.latest_version.number}),
    ],
    "streams:list": [("alice", lambda w: {}), ("bob", lambda w: {}), ("iris", lambda w: {})],
    "streams:new": [("alice", lambda w: {"public_id": w.acme.public_id})],
    "streams:dashboard": [
        ("alice", lambda w: {"public_id": w.acme.public_id}),
        ("victor", lambda w: {"public_id": w.acme.public_id}),
    ],
    "likeness:mine": [("iris", lambda w: {})],
    "streams:detail": [
        ("alice", lambda w: {"public_id": w.stream.public_id}),
        ("bob", lambda w: {"public_id": w.stream.public_id}),
        ("iris", lambda w: {"public_id": w.stream.public_id}),  # her likeness's stream, read-only
    ],
    # the operator console: bob is the stream's operator, alice (owner, not assigned) sees it read-only
    "streams:console": [
        ("alice", lambda w: {"public_id": w.stream.public_id}),
        ("bob", lambda w: {"public_id": w.stream.public_id}),
    ],
    # live interaction: the comment panel (bob operates, alice reads) and the brand's FAQ quality page
    "interaction:comments": [
        ("alice", lambda w: {"public_id": w.stream.public_id}),
        ("bob", lambda w: {"public_id": w.stream.public_id}),
    ],
    "interaction:faq-quality": [("alice", lambda w: {"public_id": w.acme.public_id})],
    "render:short-video": [
        ("alice", lambda w: {"video_id": w.video_done.public_id}),
        ("alice", lambda w: {"video_id": w.video_failed.public_id}),
        ("sam", lambda w: {"video_id": w.video_failed.public_id}),
    ],
    # audrey audits acme (an export done and one failed); sam exports for every organisation
    "audit-exports:list": [("audrey", lambda w: {}), ("sam", lambda w: {})],
    "ledger-pages:events": [("audrey", lambda w: {}), ("sam", lambda w: {})],
    "ledger-pages:event": [
        ("audrey", lambda w: {"pk": w.checkpointed_event.pk}),
        ("audrey", lambda w: {"pk": w.fresh_event.pk}),
    ],
    # the empty form; its verdicts are rendered by a POST (test below)
    "clip-check:check": [(None, lambda w: {}), ("iris", lambda w: {})],
    # sam sees every organisation (audrey, with one, is sent straight to its dashboard)
    "compliance:index": [("sam", lambda w: {})],
    "compliance:dashboard": [("alice", lambda w: {"slug": "acme"}), ("audrey", lambda w: {"slug": "acme"})],
    "compliance:report": [("audrey", lambda w: {"slug": "acme"}), ("sam", lambda w: {"slug": "acme"})],
    "compliance:assessment": [("alice", lambda w: {"slug": "acme"}), ("audrey", lambda w: {"slug": "acme"})],
    "compliance:holds": [("sam", lambda w: {})],
    # staff write and approve each influencer's impact assessment; she reads hers
    "compliance:influencers": [("sam", lambda w: {})],
    "compliance:influencer-assessment": [
        ("sam", lambda w: {"public_id": w.iris.influencer.public_id}),
        ("iris", lambda w: {"public_id": w.iris.influencer.public_id}),
    ],
}
# GET endpoints that answer something other than a page (a line's speech preview, a WAV): what they say when they
# cannot answer is shown on a page, so it is checked for misses too (tests below).
NOT_PAGES: dict[str, tuple[str, Kwargs]] = {
    "scripts:speech": (
        "alice",
        lambda w: {"public_id": w.script.public_id, "number": w.latest_version.number, "line": 1},
    ),
    # the console's server-sent events (text/event-stream; its snapshot's strings are the console page's)
    "streams:console-events": ("bob", lambda w: {"public_id": w.stream.public_id}),
    # a consent's statement video for the review page (the decrypted bytes)
    "consent:review-media": ("sam", lambda w: {"grant_id": w.reviewable.public_id, "kind": "statement"}),
    # the licence usage downloads (CSV)
    "streams:usage-csv": ("alice", lambda w: {"public_id": w.acme.public_id}),
    "likeness:usage-csv": ("iris", lambda w: {}),
    # the server's half of the ledger page's Verify button (JSON)
    "ledger-pages:event-verify": ("audrey", lambda w: {"pk": w.checkpointed_event.pk}),
    # the compliance report as PDF
    "compliance:report-pdf": ("audrey", lambda w: {"slug": "acme"}),
    # the progress of a running artifact check, polled by the dashboard's script (JSON)
    "compliance:artifact-check-progress": (
        "audrey",
        lambda w: {"slug": "acme", "public_id": w.artifact_check.public_id},
    ),
    # the canonical document of an impact assessment, whose SHA-256 is on file (JSON)
    "compliance:influencer-assessment-document": (
        "iris",
        lambda w: {
            "public_id": w.iris.influencer.public_id,
            "assessment_id": w.iris.influencer.impact_assessments.first().public_id,
        },
    ),
}
# Arguments for the form targets, which only need to resolve (they answer GET with 405).
FORM_TARGET_KWARGS: dict[str, Any] = {
    "answer": "accept",
    "number": 1,
    "line": 1,
    "sequence": 0,
}


def _patterns(resolvers: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).strip("/^").split("/")[0] in NOT_PORTAL:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            if (prefix + str(entry.pattern)).strip("/^").split("/")[0] in NOT_PORTAL:
                continue
            yield f"{namespace}{entry.name}", entry


def _client(world: SimpleNamespace, who: str | None) -> Client:
    # The browser asks for Chinese the way a Chinese phone does; no cookie is set.
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    if who is not None:
        client.force_login(getattr(world, who))
    return client


def test_every_portal_url_is_a_listed_page_or_a_form_target(portal_world: SimpleNamespace) -> None:
    unlisted = []
    for name, pattern in _patterns(get_resolver().url_patterns):
        if name in PAGES or name in NOT_PAGES:
            continue
        kwargs = {key: FORM_TARGET_KWARGS.get(key, portal_world.acme.public_id) for key in pattern.pattern.converters}
        response = _client(portal_world, "sam").get(reverse(name, kwargs=kwargs))
        if response.status_code != 405:
            unlisted.append(f"{name} (GET -> {response.status_code})")
    assert unlisted == [], f"pages not checked in zh-Hans, add them to PAGES: {unlisted}"


def test_what_the_other_get_endpoints_answer_is_chinese_too(portal_world: SimpleNamespace) -> None:
    found = {name for name, _pattern in _patterns(get_resolver().url_patterns)}
    assert set(NOT_PAGES) <= found, f"NOT_PAGES lists URL names that no longer exist: {set(NOT_PAGES) - found}"
    for name, (who, kwargs) in NOT_PAGES.items():
        with recording_misses() as misses:
            response = _client(portal_world, who).get(reverse(name, kwargs=kwargs(portal_world)))
        assert response.status_code in (200, 422), f"{name} as {who}: {response.status_code}"
        assert not response["Content-Type"].startswith("text/html"), f"{name} is a page: add it to PAGES"
        assert misses == set(), f"{name} as {who} answered untranslated strings: {misses}"


def test_every_page_is_chinese_with_no_catalog_miss(portal_world: SimpleNamespace) -> None:
    found = {name for name, _pattern in _patterns(get_resolver().url_patterns)}
    assert set(PAGES) <= found, f"PAGES lists URL names that no longer exist: {set(PAGES) - found}"
    misses_by_page: dict[str, set[str]] = {}
    rendered = 0
    for name, visits in PAGES.items():
        for who, kwargs in visits:
            url = reverse(name, kwargs=kwargs(portal_world))
            with recording_misses() as misses:
                response = _client(portal_world, who).get(url)
            assert response.status_code == 200, f"{name} as {who}: {response.status_code}"
            html = response.content.decode()
            assert '<html lang="zh-hans">' in html, f"{name} as {who} is not in zh-hans"
            if misses:
                misses_by_page[f"{name} as {who}"] = misses
            rendered += 1
    assert rendered >= 40
    assert misses_by_page == {}, f"strings shown untranslated in zh-Hans: {misses_by_page}"


def test_the_error_page_and_the_import_preview_are_chinese_too(portal_world: SimpleNamespace) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.streaming.helpers import products_csv

    client = _client(portal_world, "alice")
    with recording_misses() as misses:
        missing = client.get("/no-such-page/")
        preview = client.post(
            reverse("catalog:import", kwargs={"public_id": portal_world.acme.public_id}),
            {
                "action": "preview",
                "products": SimpleUploadedFile(
                    "products.csv", products_csv("LIP-02,唇釉,89.00,CNY,cosmetics,滋润", "BAD,,x,CNY,cosmetics,")
                ),
            },
        )
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()
    assert preview.status_code == 200
    assert "预览" in preview.content.decode()
    assert misses == set()


def _probe_answer(*, found: bool, stream: str, c2pa: str) -> dict[str, Any]:
    """What render.engine.clip_probe answers for a clip (the probe itself decodes video: not needed here)."""
    mark = {"found": found, "confidence": 9.5 if found else 1.2, "false_positive_rate": 4.8e-7}
    if found:
        mark |= {"stream_id_hex": stream, "sequences": [3]}
    return {"ok": True, "video": {"frames": 48}, "watermark": mark, "c2pa": {"status": c2pa}}


@pytest.mark.parametrize(
    ("found", "stream", "c2pa", "title"),
    [
        (True, "00c0ffee", "verified", "由 Veracast 制作"),
        (True, "00c0ffee", "verified_not_ai", "由 Veracast 制作"),
        (True, "0badc0de", "untrusted", "发现 Veracast 水印"),
        (True, "0badc0de", "tampered", "发现 Veracast 水印"),
        (False, "", "absent", "未发现 Veracast 水印"),
        (False, "", "invalid", "未发现 Veracast 水印"),
    ],
)
def test_the_clip_checks_verdicts_are_chinese_too(
    portal_world: SimpleNamespace,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    found: bool,
    stream: str,
    c2pa: str,
    title: str,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from render import clip_check

    settings.CLIP_CHECK_RATE_LIMIT = 10_000
    monkeypatch.setattr(clip_check, "_run_probe", lambda path: _probe_answer(found=found, stream=stream, c2pa=c2pa))
    with recording_misses() as misses:
        response = _client(portal_world, None).post(
            reverse("clip-check:check"), {"file": SimpleUploadedFile("clip.mp4", b"\x00" * 64, "video/mp4")}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert title in html
    assert misses == set()


def test_the_clip_checks_refusals_are_chinese_too(
    portal_world: SimpleNamespace, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from render import clip_check

    settings.CLIP_CHECK_RATE_LIMIT = 10_000
    answers = iter(
        [
            {"ok": False, "code": "not_video"},
            {"ok": False, "code": "unsupported_size", "width": 9000, "height": 9000, "max_pixels": 8_294_400},
        ]
    )
    monkeypatch.setattr(clip_check, "_run_probe", lambda path: next(answers))
    statuses = []
    with recording_misses() as misses:
        for _ in range(2):
            response = _client(portal_world, None).post(
                reverse("clip-check:check"), {"file": SimpleUploadedFile("notes.txt", b"just text", "text/plain")}
            )
            statuses.append(response.status_code)
            assert '<html lang="zh-hans">' in response.content.decode()
    assert statuses == [415, 422]
    assert misses == set()
