"""Each platform's profile (a data file) says what it needs: Douyin a registration id, Taobao the "数字人直播"
declaration and private domain, WeChat Channels the brand's acknowledgement of the low-quality content risk. A
stream missing one fails its go-live check with the profile's own sentence."""

from __future__ import annotations

from typing import Any

import pytest

from streaming.platform_profiles import profiles
from streaming.streams import check_go_live, schedule_stream, update_stream
from tests.streaming.streams.helpers import approved_version, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_every_platform_has_a_profile_with_sources() -> None:
    loaded = profiles()
    assert set(loaded) == {"douyin", "kuaishou", "taobao", "wechat_channels"}
    assert all(p.sources and all(s.url.startswith("http") for s in p.sources) for p in loaded.values())


def test_unmet_requirements_refuse(personas: dict[str, Any]) -> None:
    stream = new_stream(personas, stream_avatar(personas), approved_version(personas), registration_id="")
    stream = schedule_stream(stream=stream, actor=personas["alice"])
    ready_operator(personas)
    refusals = {r.code: r for r in check_go_live(stream=stream, operator=personas["bob"])}
    assert set(refusals) == {"profile_registration_id"}
    assert "报备" in refusals["profile_registration_id"].zh

    stream = update_stream(stream=stream, actor=personas["alice"], changes={"platform": "taobao"})
    codes = {r.code for r in check_go_live(stream=stream, operator=personas["bob"])}
    assert {"profile_digital_human_declaration", "profile_private_domain_only"} <= codes
    stream = update_stream(
        stream=stream,
        actor=personas["alice"],
        changes={"acknowledgements": {"digital_human_declaration": True, "private_domain_only": True}},
    )
    assert check_go_live(stream=stream, operator=personas["bob"]) == []
