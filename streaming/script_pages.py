"""Script pages (server-rendered, framed by portal/base.html): a brand's scripts with the generate form, the editor
with findings marked inline at their spans and a speech preview per line, and the review page with the diff from the
last approved version and the passkey approval.

Thin views: each POST calls one service of streaming/scripts.py. A refusal (`DomainError`, a generator's
`GenerationError`) is shown as the sentence the service wrote, never as an error page; the two JSON endpoints of the
approval answer {"code", "message"} with the service's status. The reads here are the pages' own (a brand's scripts
with their latest and last approved versions), scoped like the catalog: members of the brand and platform readers;
anyone else gets 404.
"""

from __future__ import annotations

import io
import json
import uuid
import wave
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from accounts.selectors import get_visible_organisation
from common.api import DomainError
from consent import passkeys
from render.dispatch import work_in_background
from render.engine.avatar.choreography import INTENT_GESTURE
from render.engine.speech.disclosure import DISCLOSURE_TEXT
from render.models import Avatar
from render.refusals import refusal_sentence as render_refusal
from render.script_source import script_source
from render.short_videos import ORIENTATIONS, submit_short_video
from render.voices import voice_form_choices
from streaming import script_selectors, scripts, selectors
from streaming.models import Script, ScriptVersion
from streaming.script_marks import finding_anchor, findings_by_line, message_of, split_at_findings
from streaming.scripts import LANGUAGES

# The longest line the preview speaks: the TTS engine's own limit per call (render/engine/speech/text.py).
PREVIEW_MAX_CHARS = 1000


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _lang() -> str:
    return "zh" if (get_language() or "").startswith("zh") else "en"


# The intents a line may carry: the gestures of the choreography, less "agree" (a live reaction, not a script line);
# streaming/generation/types.py INTENTS says the same.
INTENTS: tuple[str, ...] = tuple(intent for intent in INTENT_GESTURE if intent != "agree")
# What the editor's intent menus show; the engine (no Django) names the intents, so the page translates them here. An
# intent added to the engine without a label here shows its code.
INTENT_LABELS = {
    "idle": gettext_lazy("Idle"),
    "greet": gettext_lazy("Greeting"),
    "follow": gettext_lazy("Ask to follow"),
    "product": gettext_lazy("Product"),
    "price": gettext_lazy("Price"),
    "thanks": gettext_lazy("Thanks"),
    "cart": gettext_lazy("Add to cart"),
    "faq": gettext_lazy("FAQ answer"),
    "disclosure": gettext_lazy("AI disclosure"),
}


def latest_version(script: Script) -> ScriptVersion | None:
    return script.versions.order_by("-number").first()


def get_version(script: Script, number: int) -> ScriptVersion:
    version = script.versions.filter(number=number).select_related("script__organisation").first()
    if version is None:
        raise Http404("No such version.")
    return version


def _script(request: HttpRequest, public_id: Any) -> Script:
    return script_selectors.get_visible_script(_user(request), public_id)


def _brand(request: HttpRequest, public_id: Any) -> Organisation:
    return get_visible_organisation(_user(request), public_id)


def _refusal(error: Exception) -> str:
    if isinstance(error, DomainError):
        return str(error.detail)
    return str(error)


def llm_configured() -> bool:
    """Whether the LLM backend may be offered: its URL is configured (streaming/llm_config.py reads the same)."""
    return bool(getattr(settings, "LLM_URL", ""))


# The list ----------------------------------------------------------------------------------------------------------


@login_required
def script_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    brands = selectors.readable_brands_for(user)
    wanted = request.GET.get("brand")
    brand = _brand(request, wanted) if wanted else brands.first()
    context: dict[str, Any] = {"brands": brands, "brand": brand, "active_nav": "scripts", "rows": []}
    if brand is not None:
        rows = []
        for script in script_selectors.list_scripts_for(user, organisation=brand).prefetch_related(
            "versions__approval"
        )[:500]:
            versions = sorted(script.versions.all(), key=lambda v: v.number)
            latest = versions[-1] if versions else None
            approved = [v for v in versions if hasattr(v, "approval")]
            rows.append({"script": script, "latest": latest, "approved": approved[-1] if approved else None})
        context.update(
            rows=rows,
            can_write=scripts.can_write_scripts(user, brand.pk),
            products=selectors.list_products_for(user, organisation=brand).order_by("sku")[:500],
            languages=LANGUAGES,
            llm=llm_configured(),
        )
    return render(request, "streaming/scripts.html", context)


@login_required
@require_POST
def script_new(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    brand = _brand(request, public_id)
    language = request.POST.get("language", "zh")
    try:
        script = scripts.create_script(
            organisation=brand,
            actor=_user(request),
            title=request.POST.get("title", "").strip() or _("Untitled script"),
            language=language,
            # A version has at least one line; a new script starts with the spoken AI disclosure, which the linter
            # wants first anyway.
            lines=[
                {
                    "text": request.POST.get("first_line", "").strip() or DISCLOSURE_TEXT.get(language, ""),
                    "language": language,
                    "intent": "disclosure",
                }
            ],
        )
    except DomainError as refusal:
        messages.error(request, _refusal(refusal))
        return redirect(f"{reverse('scripts:list')}?brand={brand.public_id}")
    return redirect(reverse("scripts:editor", args=[script.public_id]))


@login_required
@require_POST
def script_generate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    brand = _brand(request, public_id)
    post = request.POST
    backend = post.get("backend", "builtin")
    try:
        result = scripts.generate_script_draft(
            organisation=brand,
            actor=_user(request),
            product_ids=post.getlist("products"),
            language=post.get("language", "zh"),
            backend=backend,
            seed=None,
            title=post.get("title", "").strip(),
        )
    except DomainError as refusal:
        messages.error(request, _refusal(refusal))
        return redirect(f"{reverse('scripts:list')}?brand={brand.public_id}")
    script = result
    messages.success(request, _("A draft was generated. Read it, fix what the linter marks, and save."))
    return redirect(reverse("scripts:editor", args=[script.public_id]))


# The editor --------------------------------------------------------------------------------------------------------


def annotated_lines(version: ScriptVersion | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each line of the version with its text cut at its findings' spans and its findings (with their anchors and
    the message in the page's language), and the findings of the script as a whole."""
    if version is None:
        return [], []
    lines = list(version.lines or [])
    per_line, whole = findings_by_line(list(version.findings or []), len(lines))
    lang = _lang()

    def shown(finding: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **finding,
            "anchor": finding_anchor(finding),
            "text": message_of(finding, lang),
            "other": message_of(finding, "en" if lang == "zh" else "zh"),
        }

    annotated = []
    for index, line in enumerate(lines):
        text = str(line.get("text", ""))
        annotated.append(
            {
                "number": index + 1,
                "line": line,
                "text": text,
                "pieces": split_at_findings(text, per_line[index]),
                "findings": [shown(f) for f in per_line[index]],
                "product_ids": [str(p) for p in line.get("product_ids") or []],
                "stored": True,
            }
        )
    return annotated, [shown(f) for f in whole]


def _posted_lines(request: HttpRequest) -> list[dict[str, Any]]:
    """The editor's lines in page order: each line's fieldset posts `line` (its key) first, then its fields named
    `<key>-text`, `<key>-language`, `<key>-intent`, `<key>-products` (several) and `<key>-id` (kept from the
    version it was loaded from)."""
    post = request.POST
    lines = []
    for key in post.getlist("line"):
        if not key.isalnum():
            continue
        line: dict[str, Any] = {
            "text": post.get(f"{key}-text", ""),
            "language": post.get(f"{key}-language", ""),
            "intent": post.get(f"{key}-intent", ""),
            "product_ids": [p for p in post.getlist(f"{key}-products") if p],
        }
        if post.get(f"{key}-id"):
            line["id"] = post[f"{key}-id"]
        lines.append(line)
    return lines


@login_required
def script_editor(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    script = _script(request, public_id)
    kept: list[dict[str, Any]] | None = None
    base: int | None = None
    status = 200
    if request.method == "POST" and not scripts.can_write_scripts(user, script.organisation_id):
        # A refusal is a sentence on the page the person was on, not an error page.
        messages.error(request, _("Only the brand's owners and editors may change its scripts."))
        status = 403
    elif request.method == "POST":
        try:
            base = int(request.POST.get("base_number") or 0)
        except ValueError:
            base = -1
        posted = _posted_lines(request)
        try:
            version = scripts.save_script_version(script=script, actor=user, lines=posted, base_number=base)
        except DomainError as refusal:
            messages.error(request, _refusal(refusal))
            # The refused edit stays on the page (nothing typed is lost); it carries no marks until it is saved.
            kept = [
                {
                    "number": n,
                    "line": line,
                    "text": line["text"],
                    "pieces": split_at_findings(line["text"], []),
                    "findings": [],
                    "product_ids": line["product_ids"],
                    "stored": False,
                }
                for n, line in enumerate(posted, start=1)
            ]
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect(reverse("scripts:editor", args=[script.public_id]))
    latest = latest_version(script)
    lines, whole = annotated_lines(latest)
    if kept is not None:
        lines, whole = kept, []
    context = {
        "active_nav": "scripts",
        "script": script,
        "brand": script.organisation,
        "version": latest,
        "base_number": base if kept is not None else (latest.number if latest else 0),
        "approval": script_selectors.approval_of(latest) if latest else None,
        "lines": lines,
        "script_findings": whole,
        "can_write": scripts.can_write_scripts(user, script.organisation_id),
        "intents": [(intent, INTENT_LABELS.get(intent, intent)) for intent in INTENTS],
        "languages": LANGUAGES,
        "products": selectors.list_products_for(user, organisation=script.organisation).order_by("sku")[:500],
        "versions": script_selectors.versions_of(script)[:50],
    }
    return render(request, "streaming/script_editor.html", context, status=status)


def _wav(pcm: Any, sample_rate: int) -> bytes:
    samples = np.clip(np.asarray(pcm, dtype=np.float64), -1.0, 1.0)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


@login_required
def line_speech(request: HttpRequest, public_id: uuid.UUID, number: int, line: int) -> HttpResponse:
    """A WAV of one stored line spoken by the render engine's default TTS (espeak-ng, no voice of a real person):
    what the line sounds like, before anyone renders it. The engine's speech package is numpy and ctypes only (no
    torch), so the web tier may import it."""
    from render.engine.speech import SpeechError, synthesize

    script = _script(request, public_id)
    version = get_version(script, number)
    stored = list(version.lines or [])
    if not 1 <= line <= len(stored):
        raise Http404("No such line.")
    text = str(stored[line - 1].get("text", "")).strip()
    language = str(stored[line - 1].get("language", "")) or script.language
    if not text:
        return HttpResponse(_("This line is empty."), status=422, content_type="text/plain; charset=utf-8")
    if len(text) > PREVIEW_MAX_CHARS:
        return HttpResponse(
            _("This line is too long to speak (at most %(n)s characters).") % {"n": PREVIEW_MAX_CHARS},
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    try:
        speech = synthesize(text, language=language)
    except SpeechError as refusal:
        return HttpResponse(
            _("This line cannot be spoken: %(why)s") % {"why": refusal},
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(_wav(speech.pcm, speech.sample_rate), content_type="audio/wav")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# Review and approval -----------------------------------------------------------------------------------------------


@login_required
def script_review(request: HttpRequest, public_id: uuid.UUID, number: int) -> HttpResponse:
    user = _user(request)
    script = _script(request, public_id)
    version = get_version(script, number)
    diff = script_selectors.diff_from_last_approved(version)
    lines, whole = annotated_lines(version)
    findings = [f for line in lines for f in line["findings"]] + whole
    context = {
        "active_nav": "scripts",
        "script": script,
        "brand": script.organisation,
        "version": version,
        "base": diff["base"],
        "diff": diff["ops"],
        "findings": findings,
        "lines": lines,
        "approval": script_selectors.approval_of(version),
        "latest": latest_version(script),
        "can_review": scripts.can_approve_scripts(user, script.organisation_id),
        "can_render": scripts.can_write_scripts(user, script.organisation_id),
        "avatars": Avatar.objects.filter(brand=script.organisation, status=Avatar.Status.READY)
        .select_related("influencer")
        .order_by("-created_at")[:100],
        "orientations": ORIENTATIONS,
        **voice_form_choices(),
    }
    return render(request, "streaming/script_review.html", context)


def _json_refusal(refusal: Exception) -> JsonResponse:
    if isinstance(refusal, DomainError):
        return JsonResponse({"code": refusal.code, "message": _refusal(refusal)}, status=refusal.status_code)
    return JsonResponse({"code": "refused", "message": _refusal(refusal)}, status=400)


def _approval_body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    overrides = body.get("overrides") or {}
    if not isinstance(overrides, dict):
        return None
    # An empty box is no override: the service then asks for a reason only where a finding blocks.
    body["overrides"] = {str(k): str(v) for k, v in overrides.items() if str(v).strip()}
    body["expected_sha256"] = str(body.get("expected_sha256", ""))
    return body


def _malformed() -> JsonResponse:
    return JsonResponse(
        {"code": "invalid_body", "message": _("The approval did not arrive whole; try again.")}, status=400
    )


@login_required
@require_POST
def approval_options(request: HttpRequest, public_id: uuid.UUID, number: int) -> JsonResponse:
    """The document the reviewer signs and the WebAuthn request options (its SHA-256 is the challenge)."""
    script = _script(request, public_id)
    version = get_version(script, number)
    body = _approval_body(request)
    if body is None:
        return _malformed()
    try:
        options = scripts.begin_script_approval(
            version=version,
            reviewer=_user(request),
            expected_sha256=body["expected_sha256"],
            overrides=body["overrides"],
            rp=passkeys.relying_party(request),
        )
    except DomainError as refusal:
        return _json_refusal(refusal)
    return JsonResponse(options)


@login_required
@require_POST
def approve(request: HttpRequest, public_id: uuid.UUID, number: int) -> JsonResponse:
    script = _script(request, public_id)
    version = get_version(script, number)
    body = _approval_body(request)
    if body is None or not isinstance(body.get("credential"), dict):
        return _malformed()
    try:
        scripts.approve_script_version(
            version=version,
            reviewer=_user(request),
            expected_sha256=body["expected_sha256"],
            overrides=body["overrides"],
            credential=body["credential"],
            rp=passkeys.relying_party(request),
        )
    except DomainError as refusal:
        return _json_refusal(refusal)
    messages.success(request, _("Version %(n)s is approved and signed.") % {"n": version.number})
    return JsonResponse({"redirect": reverse("scripts:review", args=[script.public_id, version.number])})


@login_required
@require_POST
def short_video(request: HttpRequest, public_id: uuid.UUID, number: int) -> HttpResponse:
    """Render an approved version as a short video by one of the brand's avatars: render resolves the approved
    version through its script source and asks the consent gate (purpose short_video) before anything is queued."""
    user = _user(request)
    script = _script(request, public_id)
    version = get_version(script, number)
    back = reverse("scripts:review", args=[script.public_id, version.number])
    if not scripts.can_write_scripts(user, script.organisation_id):
        messages.error(request, _("Only the brand's owners and editors may render its scripts."))
        return redirect(back)
    avatar_id = _uuid_or_none(request.POST.get("avatar", ""))
    avatar = (
        None if avatar_id is None else Avatar.objects.filter(brand=script.organisation, public_id=avatar_id).first()
    )
    if avatar is None:
        messages.error(request, _("Choose one of the brand's avatars."))
        return redirect(back)
    try:
        approved = script_source().resolve(organisation=script.organisation, version_id=str(version.public_id))
        # On the embedded default the render runs on a thread after commit, so this answers at once and the short
        # video's page shows the progress (render/dispatch.py).
        with work_in_background():
            video = submit_short_video(
                avatar=avatar,
                actor=user,
                script=approved,
                orientation=request.POST.get("orientation", "portrait"),
                resolution="720p",
                label_languages="zh+en",
                tts_backend=request.POST.get("tts_backend") or None,
                voice=request.POST.get("voice") or None,
                voice_rate=request.POST.get("voice_rate") or 1.0,
                voice_pitch=request.POST.get("voice_pitch") or 1.0,
            )
    except DomainError as refusal:
        messages.error(request, render_refusal(refusal))
        return redirect(back)
    return redirect(reverse("render:short-video", args=[video.public_id]))


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
