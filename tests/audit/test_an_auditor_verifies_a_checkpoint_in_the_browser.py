"""In Chromium, an organisation's auditor opens a ledger event and presses Verify: the page recomputes the event hash,
folds the inclusion proof up to the Merkle root and verifies the checkpoint's Ed25519 signature with WebCrypto, in the
browser (no server fallback); a page whose signature was altered on the way says that verification failed."""

from __future__ import annotations

from typing import Any

import pytest

from audit.services import create_checkpoint, record_event
from tests.portal.conftest import login, page, screenshot  # noqa: F401  (the portal's page fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def event(personas: dict[str, Any], ledger_keys: Any) -> Any:
    acme = personas["acme"]
    for n in range(6):
        record_event(
            kind="audit.test",
            subject="stream:acme-1",
            payload={"n": n, "text": '直播 "é"\n'},
            actor=None,
            organisation=acme,
        )
    chosen = record_event(
        kind="audit.test", subject="stream:acme-2", payload={"line": "大家好"}, actor=None, organisation=acme
    )
    record_event(kind="audit.test", subject="stream:acme-1", payload={"n": 9}, actor=None, organisation=acme)
    create_checkpoint()
    return chosen


def test_the_auditor_verifies_the_proof_and_the_signature_in_her_browser(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
    event: Any,
) -> None:
    login(page, "audrey@audit.example", "audrey-password-1")
    page.goto("/ledger/?subject=stream:acme-2")
    page.locator(f"[data-event='{event.pk}'] a").first.click()
    page.get_by_role("button", name="Verify").click()

    status = page.get_by_test_id("verify-status")
    page.locator("[data-testid=verify-status][data-where]").wait_for()  # set when every check is done
    assert status.inner_text() == "Verified in your browser (WebCrypto: SHA-256 and Ed25519)."
    assert status.get_attribute("data-where") == "browser"
    checks = page.locator("[data-testid=verify-checks] li")
    assert checks.count() == 5
    assert all(checks.nth(i).get_attribute("data-ok") == "true" for i in range(5))
    screenshot(page, "ledger-event-verified")


def test_an_altered_signature_fails_verification_in_the_page(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
    event: Any,
) -> None:
    from audit.selectors import checkpoint_covering

    signature = checkpoint_covering(event.pk).signature
    forged = ("1" if signature[0] != "1" else "2") + signature[1:]

    def alter(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(signature, forged))

    login(page, "audrey@audit.example", "audrey-password-1")
    page.route(f"**/ledger/events/{event.pk}/", alter)
    page.goto(f"/ledger/events/{event.pk}/")
    page.get_by_role("button", name="Verify").click()
    page.locator("[data-testid=verify-status][data-where]").wait_for()  # set when every check is done

    assert page.get_by_test_id("verify-status").inner_text().startswith("Verification FAILED")
    assert page.locator("[data-check=signature]").get_attribute("data-ok") == "false"
    assert page.locator("[data-check=path]").get_attribute("data-ok") == "true"


def test_a_browser_without_ed25519_in_webcrypto_gets_the_servers_check_and_is_told_so(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
    event: Any,
) -> None:
    # What Chromium before 137 does: importKey refuses the algorithm.
    page.add_init_script(
        """
        const original = crypto.subtle.importKey.bind(crypto.subtle);
        crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
          (algorithm && algorithm.name === "Ed25519")
            ? Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"))
            : original(format, key, algorithm, ...rest);
        """
    )
    login(page, "audrey@audit.example", "audrey-password-1")
    page.goto(f"/ledger/events/{event.pk}/")
    page.get_by_role("button", name="Verify").click()
    page.locator("[data-testid=verify-status][data-where]").wait_for()  # set when every check is done

    status = page.get_by_test_id("verify-status")
    assert status.get_attribute("data-where") == "server"
    assert status.inner_text().startswith("Verified; the signature was checked by the server")
    assert page.locator("[data-check=signature]").get_attribute("data-ok") == "true"
