"""axe-core in the Chromium tests: the engine comes from the npm package pinned in package-lock.json (node_modules,
installed by `make setup`), injected from the file into every page of the browser context. Nothing is fetched from a
CDN, and the page's CSP is not loosened. Playwright's add_script_tag(path=...) cannot be used: it inserts an inline
<script>, which the portal's CSP (script-src 'self') blocks. add_init_script(path=...) evaluates the file through the
DevTools protocol before the page's own scripts, which the CSP does not govern."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
# The impacts that fail a page: axe's "serious" and "critical" (issue 11). "moderate" and "minor" are reported by
# axe too but do not fail the test.
FAILING_IMPACTS = frozenset({"serious", "critical"})


def install_axe(context: Any) -> None:
    """Make `axe` available in every page the browser context opens from now on."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup` (it runs `npm ci`; needs `apt-get install nodejs npm`).")
    context.add_init_script(path=str(AXE))


def serious_violations(page: Any) -> list[str]:
    """Run axe-core (WCAG 2.x A and AA rules and axe's best practices) on the page as it stands and describe every
    serious or critical violation as one line: rule, impact, help text and the offending elements."""
    results = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']})"
    )
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines
