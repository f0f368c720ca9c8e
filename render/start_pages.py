"""The brand's pages that start render work (plain HTML forms, framed by portal/base.html): build an avatar from a
consenting influencer (choose the grant, read the gate's answer, start), mark or accept gesture clips, start a
render or a short video with its options, and stop a render.

Each POST calls one service inside `work_in_background()` (render/dispatch.py), so on the embedded default the
request answers as soon as the work is queued and the page that follows shows its progress live. A refusal is shown
as a sentence in the reader's language (render/refusals.py), never as an error page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from common.api import DomainError
from consent.models import ConsentGrant
from consent.scope import PLATFORMS, PURPOSES
from consent.selectors import list_grants_for_brand
from render import selectors, services
from render.consent_state import consent_state, preview_avatar_gate
from render.dispatch import work_in_background
from render.engine.options import ENGINES, LABEL_LANGUAGES, RESOLUTIONS, SUPPORTED_FPS
from render.models import Avatar
from render.refusals import refusal_sentence
from render.request_keys import parse_request_key
from render.script_source import ApprovedChoice, script_source


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _writable_brands(user: User) -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__role__in=selectors.WRITE_ROLES)
        .distinct()
        .order_by("name")
    )


def _approved(brand: Organisation) -> list[ApprovedChoice]:
    try:
        return script_source().list_approved(organisation=brand)
    except DomainError:
        return []


# Build an avatar -----------------------------------------------------------------------------------------------------


@login_required
def avatar_new(request: HttpRequest) -> HttpResponse:
    """Choose the brand and one of the consents that name it, the use, and see the gate's answer before starting."""
    user = _user(request)
    brands = _writable_brands(user)
    data = request.POST if request.method == "POST" else request.GET
    brand = next((b for b in brands if str(b.public_id) == data.get("brand")), brands[0] if brands else None)
    grants = list(list_grants_for_brand(brand)) if brand is not None else []
    grant = next((g for g in grants if str(g.public_id) == data.get("grant")), None)
    values: dict[str, Any] = {
        "purpose": data.get("purpose") if data.get("purpose") in PURPOSES else "livestream_ecommerce",
        "platform": data.get("platform") if data.get("platform") in PLATFORMS else "douyin",
        "voice": data.get("voice") == "1",
    }
    # One key per form shown: a second submit of this form finds the first one's avatar (render.request_keys).
    request_key = request.POST.get("request_key") or str(uuid.uuid4())
    answer = None
    if grant is not None and brand is not None:
        answer = preview_avatar_gate(brand=brand, grant=grant, **values)
    if request.method == "POST":
        if brand is None or grant is None:
            messages.error(request, _("Choose one of the consents that name your brand."))
        else:
            try:
                with work_in_background():
                    avatar = services.create_avatar(
                        influencer=grant.influencer,
                        brand=brand,
                        actor=user,
                        grant=grant,
                        request_key=parse_request_key(request_key),
                        **values,
                    )
            except DomainError as refusal:
                messages.error(request, refusal_sentence(refusal))
            else:
                messages.success(request, _("The avatar is queued for building."))
                return redirect(reverse("render:avatar", args=[avatar.public_id]))
    context = {
        "brands": brands,
        "brand": brand,
        "grants": [_grant_row(g) for g in grants],
        "grant": grant,
        "values": values,
        "answer": answer,
        "request_key": request_key,
        "purposes": PURPOSES,
        "platforms": PLATFORMS,
        "active_nav": "render",
    }
    return render(request, "render/avatar_new.html", context)


def _grant_row(grant: ConsentGrant) -> dict[str, Any]:
    scope = grant.scope or {}
    return {
        "grant": grant,
        "purposes": scope.get("purposes", []),
        "platforms": scope.get("platforms", []),
        "modalities": scope.get("modalities", []),
    }


# Gesture marks -------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def gestures(request: HttpRequest, avatar_id: str) -> HttpResponse:
    """Save the marked gesture times, or accept one suggested clip for a gesture; both rebuild the avatar."""
    user = _user(request)
    avatar = selectors.get_visible_avatar(user, avatar_id)
    back = redirect(reverse("render:avatar", args=[avatar.public_id]))
    if not selectors.can_write(user, avatar.brand_id):
        messages.error(request, _("Only the brand's owners, editors and operators may do this."))
        return back
    marks = {m["name"]: dict(m) for m in avatar.gesture_marks}
    post = request.POST
    try:
        accepted = post.get("accept_gesture", "")
        if accepted:
            marks[accepted] = {"name": accepted, "start_s": float(post["start_s"]), "end_s": float(post["end_s"])}
        else:
            marks = {}
            for name in _gesture_names():
                start, end = post.get(f"{name}-start", "").strip(), post.get(f"{name}-end", "").strip()
                if start and end:
                    marks[name] = {"name": name, "start_s": float(start), "end_s": float(end)}
    except (KeyError, ValueError):
        messages.error(request, _("Gesture times are seconds, such as 2.5."))
        return back
    try:
        with work_in_background():
            services.set_gesture_marks(avatar=avatar, marks=list(marks.values()), actor=user)
    except DomainError as refusal:
        messages.error(request, refusal_sentence(refusal))
    else:
        messages.success(request, _("Gesture marks saved: the avatar is being rebuilt with them."))
    return back


def _gesture_names() -> list[str]:
    from render.engine.avatar.gestures import GESTURES

    return [name for name in GESTURES if name != "idle"]


# Start a render ------------------------------------------------------------------------------------------------------


def _ready_avatar_for_writer(request: HttpRequest, avatar_id: str) -> Avatar:
    avatar = selectors.get_visible_avatar(_user(request), avatar_id)
    if not selectors.can_write(_user(request), avatar.brand_id):
        raise Http404("No such avatar to render.")
    return avatar


@login_required
def job_new(request: HttpRequest, avatar_id: str) -> HttpResponse:
    """A render of an approved script version by this avatar, with the engine's options."""
    avatar = _ready_avatar_for_writer(request, avatar_id)
    post = request.POST
    values: dict[str, Any] = {
        "script_version": post.get("script_version", ""),
        "resolution": post.get("resolution", "720p-portrait"),
        "fps": post.get("fps", "25"),
        "engine": post.get("engine", "viseme-warp"),
        "label_languages": post.get("label_languages", "zh+en"),
        "rhythm_label": post.get("rhythm_label") == "1",
        # One key per form shown: a second submit of this form finds the first one's job (RenderJob.request_key).
        "request_key": post.get("request_key") or str(uuid.uuid4()),
    }
    if request.method == "POST":
        try:
            key = parse_request_key(values["request_key"])
            fps = int(values["fps"]) if str(values["fps"]).isdigit() else 0
            script = script_source().resolve(organisation=avatar.brand, version_id=values["script_version"])
            with work_in_background():
                job = services.submit_render_job(
                    avatar=avatar,
                    actor=_user(request),
                    purpose=avatar.purpose,
                    platform=avatar.platform,
                    script=script,
                    resolution=values["resolution"],
                    fps=fps,
                    engine=values["engine"],
                    label_languages=values["label_languages"],
                    rhythm_label=values["rhythm_label"],
                    request_key=key,
                )
        except DomainError as refusal:
            messages.error(request, refusal_sentence(refusal))
        else:
            return redirect(reverse("render:job", args=[job.public_id]))
    context = {
        "avatar": avatar,
        "state": consent_state(avatar),
        "versions": _approved(avatar.brand),
        "values": values,
        "resolutions": list(RESOLUTIONS),
        "frame_rates": SUPPORTED_FPS,
        "engines": ENGINES,
        "label_languages": LABEL_LANGUAGES,
        "active_nav": "render",
    }
    return render(request, "render/job_new.html", context)


@login_required
@require_POST
def job_stop(request: HttpRequest, job_id: str) -> HttpResponse:
    user = _user(request)
    job = selectors.get_visible_job(user, job_id)
    if not selectors.can_write(user, job.brand_id):
        messages.error(request, _("Only the brand's owners, editors and operators may do this."))
    else:
        try:
            services.cancel_render_job(job=job, actor=user)
        except DomainError as refusal:
            messages.error(request, refusal_sentence(refusal))
        else:
            messages.success(request, _("The render is stopped."))
    return redirect(reverse("render:job", args=[job.public_id]))


# Start a short video -------------------------------------------------------------------------------------------------


@login_required
def short_video_new(request: HttpRequest, avatar_id: str) -> HttpResponse:
    avatar = _ready_avatar_for_writer(request, avatar_id)
    post = request.POST
    values = {
        "script_version": post.get("script_version", ""),
        "orientation": post.get("orientation", "portrait"),
        "resolution": post.get("resolution", "720p"),
        "label_languages": post.get("label_languages", "zh+en"),
        "platform": post.get("platform", avatar.platform),
        "request_key": post.get("request_key") or str(uuid.uuid4()),
    }
    if request.method == "POST":
        try:
            script = script_source().resolve(organisation=avatar.brand, version_id=values["script_version"])
            with work_in_background():
                video = services.submit_short_video(
                    avatar=avatar,
                    actor=_user(request),
                    script=script,
                    orientation=values["orientation"],
                    resolution=values["resolution"],
                    label_languages=values["label_languages"],
                    platform=values["platform"] if values["platform"] in PLATFORMS else None,
                    request_key=parse_request_key(values["request_key"]),
                )
        except DomainError as refusal:
            messages.error(request, refusal_sentence(refusal))
        else:
            return redirect(reverse("render:short-video", args=[video.public_id]))
    context = {
        "avatar": avatar,
        "versions": _approved(avatar.brand),
        "values": values,
        "orientations": services.ORIENTATIONS,
        "resolutions": services.SHORT_VIDEO_RESOLUTIONS,
        "label_languages": LABEL_LANGUAGES,
        "platforms": PLATFORMS,
        "active_nav": "render",
    }
    return render(request, "render/short_video_new.html", context)
