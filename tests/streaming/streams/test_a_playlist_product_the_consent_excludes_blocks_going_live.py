"""A playlist version that names a product of a category the influencer's consent excludes fails the go-live check
(script_not_voiceable), although the version itself is approved."""

from __future__ import annotations

from typing import Any

import pytest

from streaming.scripts import latest_version
from streaming.services import create_script
from streaming.streams import check_go_live, schedule_stream
from tests.streaming.scripts.helpers import lines_for, lipstick
from tests.streaming.scripts_factory import approve
from tests.streaming.streams.helpers import new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_an_excluded_category_blocks(personas: dict[str, Any]) -> None:
    avatar = stream_avatar(personas, excluded_product_categories=("cosmetics",))
    script = create_script(
        organisation=personas["acme"],
        actor=personas["alice"],
        title="Lipstick",
        language="zh",
        lines=lines_for(lipstick(personas)),
    )
    version = latest_version(script)
    approve(version, personas["alice"])
    stream = schedule_stream(stream=new_stream(personas, avatar, version), actor=personas["alice"])
    ready_operator(personas)
    assert [r.code for r in check_go_live(stream=stream, operator=personas["bob"])] == ["script_not_voiceable"]
