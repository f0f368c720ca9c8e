"""A platform profile with a bad entry stops the load with a message naming the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from streaming.platform_profiles import ProfileError, load_profiles


def test_a_bad_requirement_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "douyin.yaml").write_text(
        "platform: douyin\nname: {en: Douyin, zh: 抖音}\n"
        "sources: [{rule: X, title: T, url: 'https://example.com'}]\n"
        "requirements: [{code: registration_id, kind: telepathy, en: a, zh: b}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as bad:
        load_profiles(tmp_path)
    assert "douyin.yaml" in str(bad.value)
    assert "registration_id" in str(bad.value)
    assert "kind" in str(bad.value)
