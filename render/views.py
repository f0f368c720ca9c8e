"""Render pages (server-rendered, framed by portal/base.html): avatars with their build progress, gesture marks and
the consent state behind them, render jobs with their live progress, HLS player, download and each segment's
provenance, and short videos with their progress, player and download. They only read; the forms on them post to
render/start_pages.py (start, stop, marks) and render/output_pages.py (verify)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consent.gate import BRAND_REFUSAL_CODE
from consent.selectors import list_use_refusals
from render import selectors
from render.consent_state import consent_state
from render.engine.avatar.gestures import GESTURES
from render.models import RenderJob, ShortVideo
from render.refusals import failure_sentence

# The engine names its gestures in English and imports no Django; people read these labels in their language.
GESTURE_LABELS = {
    "idle": _("Idle (loop)"),
    "greet": _("Greet / wave"),
    "point_up": _('Point up ("follow")'),
    "point_down": _('Point down ("cart / product")'),
    "show_price": _("Show price"),
    "thank": _("Thank"),
    "nod": _("Nod"),
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def avatar_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "avatars": selectors.list_avatars_for(user)[:100],
        "jobs": selectors.list_jobs_for(user).select_related("avatar__influencer")[:50],
        "can_build": selectors.can_write_any(user),
        "active_nav": "render",
    }
    return render(request, "render/avatar_list.html", context)


@login_required
def avatar_detail(request: HttpRequest, avatar_id: str) -> HttpResponse:
    avatar = selectors.get_visible_avatar(_user(request), avatar_id)
    marks = {m["name"]: m for m in avatar.gesture_marks}
    gestures = [
        {
            "name": name,
            "label": GESTURE_LABELS.get(name, label),
            "start_s": marks.get(name, {}).get("start_s"),
            "end_s": marks.get(name, {}).get("end_s"),
        }
        for name, label in GESTURES.items()
        if name != "idle"
    ]
    context = {
        "avatar": avatar,
        "gestures": gestures,
        "can_write": selectors.can_write(_user(request), avatar.brand_id),
        "jobs": avatar.jobs.order_by("-created_at")[:20],
        "short_videos": avatar.short_videos.order_by("-created_at")[:20],
        "state": consent_state(avatar),
        "failure": failure_sentence(avatar.error_code, avatar.error_message),
        "gate_refusals": _gate_refusals(_user(request), avatar.influencer, avatar.brand),
        "active_nav": "render",
    }
    return render(request, "render/avatar_detail.html", context)


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.get_visible_job(_user(request), job_id)
    segments = list(selectors.list_segments(job))
    total = job.segment_count or 0
    context = {
        "job": job,
        "segments": segments,
        "published": len(segments),
        "total": total,
        "progress": min(1.0, len(segments) / total) if total else 0.0,
        "active": job.status in RenderJob.ACTIVE,
        "failure": failure_sentence(job.error_code, job.error_message),
        "can_write": selectors.can_write(_user(request), job.brand_id),
        "gate_refusals": _gate_refusals(_user(request), job.avatar.influencer, job.brand),
        "active_nav": "render",
    }
    return render(request, "render/job_detail.html", context)


@login_required
def short_video_detail(request: HttpRequest, video_id: str) -> HttpResponse:
    video = selectors.get_visible_short_video(_user(request), video_id)
    context = {
        "video": video,
        "failure": _failure_sentence(video),
        "gate_refusals": _gate_refusals(_user(request), video.avatar.influencer, video.brand),
        "active_nav": "render",
    }
    return render(request, "render/short_video_detail.html", context)


def _failure_sentence(video: ShortVideo) -> str:
    """Why a short video was not made, as a sentence for the brand (the gate's answer is its neutral one)."""
    if video.status != ShortVideo.Status.FAILED:
        return ""
    if video.error_code == BRAND_REFUSAL_CODE:
        return gettext("The influencer's consent does not allow this short video, so it was not made.")
    return gettext("The short video could not be made: %(reason)s") % {
        "reason": video.error_message or video.error_code
    }


def _gate_refusals(user: User, influencer: Any, brand: Any) -> list[dict[str, Any]]:
    """The gate's detailed reasons for this brand, for staff only: the brand sees `no_consent_for_you`."""
    if not user.is_staff:
        return []
    return list_use_refusals(influencer=influencer, brand=brand, limit=5)
