"""Scripts for the page tests, made through the real services."""

from __future__ import annotations

import re
from typing import Any

DISCLOSURE = "本直播由人工智能生成，主播是AI数字人。"


def acme_script(personas: dict[str, Any], *texts: str) -> Any:
    """A zh script of Acme written by alice: the AI disclosure, then one product line per text."""
    from streaming.scripts import create_script

    lines = [{"text": DISCLOSURE, "language": "zh", "intent": "disclosure"}]
    lines += [{"text": text, "language": "zh", "intent": "product"} for text in texts]
    return create_script(
        organisation=personas["acme"], actor=personas["alice"], title="口红脚本", language="zh", lines=lines
    )


def marked_lines(html: str) -> list[str]:
    """The inner HTML of each line's marked text, in page order."""
    return re.findall(r'<p class="script-line__marked" data-testid="marked">(.*?)</p>', html, flags=re.S)
