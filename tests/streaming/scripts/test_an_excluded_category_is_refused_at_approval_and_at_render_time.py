"""A product whose category the influencer's consent excludes never reaches their avatar's voice: a script naming
the avatar is refused at approval, and at render time the job's grant is checked again, at submission and when the
worker starts (an approval withdrawn in between fails the job)."""

from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from render.models import RenderJob
from render.script_source import script_source
from render.services import run_render_job, submit_render_job
from streaming.models import ScriptApproval
from streaming.scripts import latest_version
from tests.render.helpers import ready_avatar
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script
from tests.streaming.scripts_factory import approve, approved_script


def test_excluded_cosmetics_are_refused_at_approval_and_at_render(personas: dict[str, Any]) -> None:
    product = lipstick(personas)
    avatar = ready_avatar(personas, excluded_product_categories=("cosmetics",))
    script = write_script(personas, lines_for(product), avatar=avatar)
    version = latest_version(script)
    with pytest.raises(DomainError) as at_approval:
        approve(version, personas["alice"])
    assert (at_approval.value.code, at_approval.value.status_code) == ("excluded_product_category", 409)
    assert not ScriptApproval.objects.exists()

    # Approved without naming the avatar: the render still checks the grant the job would run on.
    approved = approved_script(personas, lines_for(product), language="zh")
    with pytest.raises(DomainError) as at_render:
        submit_render_job(
            avatar=avatar, actor=personas["bob"], purpose="livestream_ecommerce", platform="douyin", script=approved
        )
    assert at_render.value.code == "excluded_product_category"
    assert not RenderJob.objects.exists()
    with pytest.raises(DomainError) as voicing:
        script_source().check_voicing(script=approved, grant=avatar.grant_used)
    assert voicing.value.code == "excluded_product_category"


def test_the_worker_asks_again_before_rendering(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    approved = approved_script(personas, lines_for(lipstick(personas)), language="zh")
    job = submit_render_job(
        avatar=avatar, actor=personas["bob"], purpose="livestream_ecommerce", platform="douyin", script=approved
    )
    ScriptApproval.objects.filter(public_id=approved.approval_id).delete()

    ended = run_render_job(job_id=job.pk)

    assert ended.status == RenderJob.Status.FAILED
    assert ended.error_code == "script_not_approved"
    assert not ended.segments.exists()
