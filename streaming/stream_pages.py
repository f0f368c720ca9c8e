"""Stream pages (server-rendered, framed by portal/base.html): the streams by state, the set-up wizard, and a
stream's page with its go-live checks as sentences and "Go live" confirmed with the operator's passkey
(streaming/static/streaming/stream_go_live.js; the CSP forbids inline script).

Thin views: each POST calls one service of streaming/streams.py; a refusal is shown as the service's sentence, never
as an error page. The stream key is a password field, never echoed back, not even after a refusal. Going live
queues the live runner, which is a later piece of work: the page says so and shows the runner as not started.
"""

from __future__ import annotations

import json
import uuid
import zoneinfo
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import get_visible_organisation, list_organisations_for
from common.api import DomainError
from consent import passkeys
from interaction.host_state import stream_tiers_defaults
from render.engine.options import RESOLUTIONS
from render.models import Avatar
from render.voices import voice_form_choices
from streaming import stream_selectors as selectors
from streaming import streams
from streaming.models import Stream
from streaming.platform_profiles import profiles
from streaming.runner.playlists import live_job


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _lang() -> str:
    return "zh" if (get_language() or "").startswith("zh") else "en"


def _message(error: DomainError) -> str:
    return str(error.detail)


@login_required
def stream_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    brands = [b for b in list_organisations_for(user) if streams.can_write_streams(user, b.pk)]
    return render(
        request,
        "streaming/streams.html",
        {"groups": selectors.streams_by_state(user), "brands": brands, "states": dict(Stream.State.choices)},
    )


def _local(value: str, zone: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=zoneinfo.ZoneInfo(zone)) if parsed.tzinfo is None else parsed
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None


def _wizard_context(brand: Any, values: dict[str, Any]) -> dict[str, Any]:
    lang = _lang()
    platform_profiles = [
        {
            "code": p.platform,
            "name": p.name(lang),
            "requirements": [{"code": r.code, "kind": r.kind, "sentence": r.sentence(lang)} for r in p.requirements],
            "sources": p.sources,
        }
        for p in profiles().values()
    ]
    return {
        "brand": brand,
        "avatars": selectors.avatars_for(brand),
        "versions": selectors.approved_versions_for(brand),
        "operators": selectors.operator_candidates(brand),
        "platforms": Stream.Platform.choices,
        "profiles": platform_profiles,
        "resolutions": list(RESOLUTIONS),
        "values": values,
        **voice_form_choices(),
        "tier_defaults": stream_tiers_defaults(),
    }


@login_required
def stream_new(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    brand = get_visible_organisation(user, public_id)
    if not streams.can_write_streams(user, brand.pk):
        messages.error(request, _("Only the brand's owners and editors may set up its streams."))
        return redirect("streams:list")
    values: dict[str, Any] = {"resolution": "720p-portrait", "time_zone": "Asia/Shanghai", "platform": "douyin"}
    if request.method == "POST":
        post = request.POST
        # Everything but the key goes back into the form after a refusal: a key is never echoed.
        values = {
            "title": post.get("title", ""),
            "avatar": post.get("avatar", ""),
            "playlist": post.getlist("playlist"),
            "platform": post.get("platform", ""),
            "rtmp_url": post.get("rtmp_url", ""),
            "registration_id": post.get("registration_id", ""),
            "operators": post.getlist("operators"),
            "resolution": post.get("resolution", "720p-portrait"),
            "shuffle_within_intents": bool(post.get("shuffle_within_intents")),
            "answers_at_once": bool(post.get("answers_at_once")),
            "starts_at": post.get("starts_at", ""),
            "stops_at": post.get("stops_at", ""),
            "time_zone": post.get("time_zone", "Asia/Shanghai"),
            "acknowledgements": post.getlist("acknowledgements"),
            "voice": _posted_voice(post),
            "few_viewers_below": post.get("few_viewers_below") or None,
            "crowd_from": post.get("crowd_from") or None,
        }
        avatar_id = _uuid_or_none(values["avatar"])
        avatar = Avatar.objects.filter(brand=brand, public_id=avatar_id).first() if avatar_id else None
        starts_at = _local(values["starts_at"], values["time_zone"])
        stops_at = _local(values["stops_at"], values["time_zone"])
        if avatar is None:
            messages.error(request, _("Choose one of the brand's avatars."))
        elif starts_at is None or stops_at is None:
            messages.error(request, _("Give a start and a stop time, and an IANA time zone such as Asia/Shanghai."))
        else:
            profile_acks = (
                {r.code for r in profiles()[values["platform"]].acknowledgements}
                if values["platform"] in profiles()
                else set()
            )
            try:
                stream = streams.create_stream(
                    organisation=brand,
                    actor=user,
                    title=values["title"],
                    avatar=avatar,
                    version_ids=values["playlist"],
                    platform=values["platform"],
                    rtmp_url=values["rtmp_url"],
                    stream_key=post.get("stream_key", ""),
                    starts_at=starts_at,
                    stops_at=stops_at,
                    time_zone=values["time_zone"],
                    registration_id=values["registration_id"],
                    operator_ids=values["operators"],
                    resolution=values["resolution"],
                    shuffle_within_intents=values["shuffle_within_intents"],
                    answers_at_once=values["answers_at_once"],
                    acknowledgements={code: code in values["acknowledgements"] for code in profile_acks},
                    voice=values["voice"],
                    few_viewers_below=values["few_viewers_below"],
                    crowd_from=values["crowd_from"],
                )
            except DomainError as refusal:
                messages.error(request, _message(refusal))
            else:
                messages.success(request, _("The stream is set up as a draft."))
                return redirect("streams:detail", public_id=stream.public_id)
    return render(request, "streaming/stream_new.html", _wizard_context(brand, values))


def _posted_voice(post: Any) -> dict[str, str]:
    """The voice fields of a form (streaming/includes/stream_voice_fields.html); {} when nothing differs from the
    platform's default voice, so a stream left at the default follows the platform's default."""
    voice = {key: str(post.get(key) or "").strip() for key in ("tts_backend", "voice", "voice_rate", "voice_pitch")}
    voice = {key: value for key, value in voice.items() if value}
    if not voice.get("tts_backend") and not voice.get("voice"):
        unchanged = all(_is_one(voice.get(key, "1")) for key in ("voice_rate", "voice_pitch"))
        if unchanged:
            return {}
    return voice


def _is_one(value: str) -> bool:
    try:
        return float(value) == 1.0
    except ValueError:
        return False


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@login_required
def stream_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    try:
        stream = selectors.get_visible_stream(user, public_id)
    except Http404:
        # The influencer whose likeness it uses reads the stream's page (and its recording) without the brand's setup.
        stream = selectors.get_stream_of_my_likeness(user, public_id)
        return render(
            request,
            "streaming/stream_detail.html",
            {
                "stream": stream,
                "brand": stream.organisation,
                "likeness_view": True,
                "has_media": live_job(stream) is not None,
                "playlist": stream.playlist.select_related("version__script").order_by("position"),
                "profile_name": profiles()[stream.platform].name(lang),
            },
        )
    checks = [
        {"code": r.code, "sentence": r.sentence(lang)} for r in streams.check_go_live(stream=stream, operator=user)
    ]
    return render(
        request,
        "streaming/stream_detail.html",
        {
            "stream": stream,
            "brand": stream.organisation,
            "checks": checks,
            "playlist": stream.playlist.select_related("version__script").order_by("position"),
            "operators": stream.operators.order_by("pk"),
            "can_write": streams.can_write_streams(user, stream.organisation_id),
            "is_operator": stream.operators.filter(pk=user.pk).exists(),
            "profile_name": profiles()[stream.platform].name(lang),
            "has_media": live_job(stream) is not None,
            **voice_form_choices(),
            "tier_defaults": stream_tiers_defaults(),
        },
    )


@login_required
@require_POST
def stream_voice(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The host voice and strategy form on a draft or scheduled stream's page (streaming/stream_voice.py checks)."""
    stream = selectors.get_visible_stream(_user(request), public_id)
    post = request.POST
    changes = {
        "voice": _posted_voice(post),
        "few_viewers_below": post.get("few_viewers_below") or None,
        "crowd_from": post.get("crowd_from") or None,
    }
    try:
        streams.update_stream(stream=stream, actor=_user(request), changes=changes)
    except DomainError as refusal:
        messages.error(request, _message(refusal))
    else:
        messages.success(request, _("The host's voice and strategy are saved."))
    return redirect("streams:detail", public_id=stream.public_id)


@login_required
@require_POST
def stream_schedule(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    stream = selectors.get_visible_stream(_user(request), public_id)
    try:
        streams.schedule_stream(stream=stream, actor=_user(request))
    except DomainError as refusal:
        messages.error(request, _message(refusal))
    else:
        messages.success(request, _("The stream is scheduled."))
    return redirect("streams:detail", public_id=stream.public_id)


@login_required
@require_POST
def stream_state(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    stream = selectors.get_visible_stream(_user(request), public_id)
    to = request.POST.get("to", "")
    reasons = {
        "paused": _("Paused by the operator"),
        "live": _("Resumed by the operator"),
        "ended": _("Ended from the stream's page"),
    }
    if to not in reasons:
        messages.error(request, _("Choose pause, resume or end."))
        return redirect("streams:detail", public_id=stream.public_id)
    try:
        streams.change_stream_state(
            stream=stream, actor=_user(request), to=to, reason=request.POST.get("reason", "") or str(reasons[to])
        )
    except DomainError as refusal:
        messages.error(request, _message(refusal))
    return redirect("streams:detail", public_id=stream.public_id)


def _json_refusal(refusal: DomainError) -> JsonResponse:
    lang = _lang()
    details = getattr(refusal, "refusals", None)
    message = " ".join(r[lang] for r in details) if details else _message(refusal)
    return JsonResponse({"code": refusal.code, "message": message}, status=refusal.status_code)


@login_required
@require_POST
def go_live_options(request: HttpRequest, public_id: uuid.UUID) -> JsonResponse:
    stream = selectors.get_visible_stream(_user(request), public_id)
    try:
        options = streams.begin_go_live(stream=stream, operator=_user(request), rp=passkeys.relying_party(request))
    except DomainError as refusal:
        return _json_refusal(refusal)
    return JsonResponse(options)


@login_required
@require_POST
def go_live(request: HttpRequest, public_id: uuid.UUID) -> JsonResponse:
    stream = selectors.get_visible_stream(_user(request), public_id)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        return JsonResponse(
            {"code": "invalid_body", "message": _("The passkey answer did not arrive whole; try again.")}, status=400
        )
    try:
        streams.go_live(
            stream=stream, operator=_user(request), credential=body["credential"], rp=passkeys.relying_party(request)
        )
    except DomainError as refusal:
        return _json_refusal(refusal)
    messages.success(request, _("The stream is live. Going live queues the live runner."))
    return JsonResponse({"redirect": reverse("streams:detail", args=[stream.public_id])})
