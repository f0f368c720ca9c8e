"""Alice's journey through the script pages in Chromium: import a catalog from a CSV file, generate a script from a
product, add an absolute claim to a line and see it marked at its span, see the approval refused while it blocks,
fix the line, save, and approve the new version with her passkey; the review page then shows the signed approval and
the diff from nothing approved before; from there she starts a short video of the approved version and lands on its
progress page (the render itself and the player are tests/render/short_video's browser test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from render.models import ShortVideo
from render.tasks import short_video_task
from streaming.models import Script, ScriptApproval, ScriptVersion
from tests.data_dir import point_settings_at
from tests.portal.conftest import login, screenshot
from tests.render.short_video.helpers import short_video_avatar
from tests.streaming.helpers import products_csv

pytestmark = pytest.mark.browser


@pytest.fixture
def render_keys(settings: Any, tmp_path: Path) -> None:
    """Keys, vault and segment storage under tmp_path (the consent behind the avatar is countersigned, its assets go
    to the vault), made by the real `init_keys` steps, as tests/render/conftest.py does."""
    from audit.keys import init_keys
    from consent import gate

    keys = point_settings_at(settings, tmp_path / "data")
    init_keys()
    settings.VAULT_MASTER_KEY = (keys / "vault-master.key").read_text().strip()
    gate.clear_cache()


CLAIM = "全网最低价"
ADDED = "这款口红的质地很轻薄。"


def test_alice_generates_fixes_and_approves_a_script_with_her_passkey(
    page: Any,
    personas: dict[str, Any],
    alice_passkey: Any,
    render_keys: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tasks run in-process on commit in tests: the short video stays queued here, so the journey ends on its progress
    # page instead of waiting for a render.
    monkeypatch.setattr(short_video_task, "delay_on_commit", lambda *args, **kwargs: None)
    avatar = short_video_avatar(personas)
    page.set_default_timeout(20_000)  # the first save lints and hashes; the speech preview runs espeak-ng
    login(page, "alice@acme.example", "alice-password-1")

    # The catalog, imported through its page.
    page.goto(f"/catalog/brands/{personas['acme'].public_id}/import/")
    page.get_by_label("Products file").set_input_files(
        {
            "name": "products.csv",
            "mimeType": "text/csv",
            "buffer": products_csv("LIP-1,丝绒口红,129.00,CNY,cosmetics,持久不脱色|显白"),
        }
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply the import").click()
    assert "丝绒口红" in page.get_by_test_id("products").inner_text()

    # A draft from the built-in generator.
    page.goto("/scripts/")
    form = page.get_by_test_id("generate-form")
    form.get_by_label("LIP-1", exact=False).check()
    form.get_by_label("Language").select_option("zh")
    with page.expect_navigation():
        form.get_by_role("button", name="Generate").click()
    assert page.get_by_test_id("version").inner_text().startswith("v1")
    lines = page.get_by_test_id("line")
    assert lines.count() >= 2
    screenshot(page, "scripts-generated-draft")

    # An absolute claim added to line 2 is marked where it stands, as blocking, with its rule.
    second = page.get_by_label("Line 2", exact=True)
    original = second.input_value()
    second.fill(f"{original}{CLAIM}！")
    with page.expect_navigation():
        page.get_by_role("button", name="Save as a new version").click()
    assert "Saved as version 2." in page.locator("ul.messages").inner_text()
    mark = page.get_by_test_id("line").nth(1).locator("mark.finding--block")
    assert mark.count() >= 1
    assert CLAIM in mark.first.inner_text()
    described = mark.first.get_attribute("aria-describedby").split()[0]
    assert "CN-AD-ABSOLUTE" in page.locator(f"[id='{described}']").inner_text()
    screenshot(page, "scripts-finding-marked")

    # While it blocks, the approval is refused with a sentence (no reason was written).
    with page.expect_navigation():
        page.get_by_test_id("review-link").click()
    page.get_by_test_id("approve").click()
    refusal = page.get_by_test_id("approval-status")
    refusal.filter(has_text="written reason").wait_for()
    assert not ScriptApproval.objects.exists()
    screenshot(page, "scripts-approval-refused")

    # Fixed in the editor: a new version without the claim.
    page.goto(page.url.split("/versions/")[0] + "/")
    page.get_by_label("Line 2", exact=True).fill(original)
    # A new line, added at the end and moved up one place (the editor's own script, no reload).
    count = page.get_by_test_id("line").count()
    page.get_by_role("button", name="Add a line").click()
    added = page.get_by_test_id("line").last
    added.get_by_label("New line").fill(ADDED)
    added.get_by_role("button", name="Move up").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Save as a new version").click()
    assert "Saved as version 3." in page.locator("ul.messages").inner_text()
    assert page.get_by_test_id("line").nth(1).locator("mark.finding--block").count() == 0
    saved = ScriptVersion.objects.get(number=3).lines
    assert len(saved) == count + 1
    assert saved[-2]["text"] == ADDED
    assert saved[1]["text"] == original

    # The speech preview of a line plays a WAV made by the render engine's TTS.
    preview = page.get_by_test_id("speech").first.get_attribute("src")
    response = page.request.get(preview)
    assert response.status == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.body()[:4] == b"RIFF"

    # Approved with the passkey: any finding still blocking gets a written reason.
    with page.expect_navigation():
        page.get_by_test_id("review-link").click()
    for box in page.locator("textarea[data-blocking]").all():
        box.fill("Checked against the brand's own records; the claim is accurate as worded.")
    with page.expect_navigation():
        page.get_by_test_id("approve").click()
    assert "approved and signed" in page.locator("ul.messages").inner_text()
    assert "Approved and signed by Alice" in page.get_by_test_id("approval-state").inner_text()
    assert page.locator("[data-testid=diff-row][data-op=added]").count() >= 2  # nothing was approved before
    screenshot(page, "scripts-approved")

    script = Script.objects.get()
    approval = ScriptApproval.objects.get()
    assert approval.version.number == 3
    assert approval.version.script == script
    assert approval.reviewer == personas["alice"]

    # A short video of the approved version, started from the review page.
    form = page.get_by_test_id("short-video-form")
    form.get_by_label("Avatar").select_option(str(avatar.public_id))
    form.get_by_label("Orientation").select_option("landscape")
    with page.expect_navigation():
        form.get_by_role("button", name="Render short video").click()
    video = ShortVideo.objects.get()
    assert page.url.endswith(f"/render/short-videos/{video.public_id}/")
    assert page.get_by_test_id("short-video-progress").count() == 1
    assert video.script["script_version_sha256"] == approval.version.sha256
    assert (video.settings["width"], video.settings["height"]) == (1280, 720)
    screenshot(page, "scripts-short-video-queued")
