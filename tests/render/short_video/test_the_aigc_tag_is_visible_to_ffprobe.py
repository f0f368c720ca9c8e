"""The GB 45438 Annex E JSON is in the short video's moov/udta/meta (FFmpeg's `use_metadata_tags` layout), where
`ffprobe -show_format` lists it as the format tag AIGC, and it passes the strict Annex E check."""

from __future__ import annotations

import json
import subprocess

import pytest

from render.engine.metadata import check_aigc_json
from tests.render.short_video.helpers import VIDEO_ID, rendered_short_video


@pytest.mark.slow
def test_ffprobe_shows_the_aigc_tag() -> None:
    rendered = rendered_short_video()
    tags = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json", str(rendered.path)],
            capture_output=True, check=True, text=True,
        ).stdout
    )["format"]["tags"]  # fmt: skip
    assert tags["AIGC"] == rendered.video.aigc
    label = check_aigc_json(tags["AIGC"])
    assert label.Label == "1"
    assert label.ProduceID == VIDEO_ID
    data = rendered.path.read_bytes()
    moov = data.index(b"moov")
    assert moov < data.index(b"udta", moov) < data.index(b"mdta", moov) < data.index(b"AIGC", moov)
