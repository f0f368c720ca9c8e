"""Gestures follow speech: script-line intents pick gesture clips, played with cross-fades over the idle loop.

Before anything is planned every line is checked against a small zh/en keyword table: a line whose declared intent
contradicts its text (a thank-you gesture while saying "tap follow" / "点关注") is refused with the reason. Idle and
agree (nod) never contradict anything: not gesturing is always honest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from render.engine.avatar.assets import AvatarAssets, BodyFrame, Clip, clip_frame

INTENT_GESTURE: dict[str, str] = {
    "idle": "idle",
    "greet": "greet",
    "follow": "point_up",
    "product": "point_down",
    "price": "show_price",
    "thanks": "thank",
    "agree": "nod",
    # Script intents (issue "Scripts") that reuse a gesture: the cart call points down like a product line, a FAQ
    # answer nods, and the spoken AI disclosure stays still so nothing distracts from it.
    "cart": "point_down",
    "faq": "nod",
    "disclosure": "idle",
}
NEUTRAL_INTENTS = frozenset({"idle", "agree", "faq", "disclosure"})

# Chinese keywords match as substrings; English ones as whole words, case-insensitively.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "follow": ("点关注", "关注", "点个关注", "订阅", "follow", "subscribe"),
    "product": ("购物车", "小黄车", "链接", "下单", "商品", "cart", "product", "link", "buy", "order now"),
    "price": ("价格", "元", "块钱", "优惠", "折扣", "price", "discount", "dollars", "yuan", "deal"),
    "greet": ("欢迎", "大家好", "你好", "hello", "welcome", "hi everyone", "good evening", "good morning"),
    "thanks": ("谢谢", "感谢", "多谢", "thank", "thanks", "thank you"),
    "cart": ("购物车", "小黄车", "链接", "下单", "cart", "link", "buy", "order now"),
}


class ScriptIntentError(ValueError):
    """A script line cannot be performed; `code` is stable ("unknown_intent", "intent_conflict")."""

    def __init__(self, code: str, message: str, line_id: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line_id = line_id


@dataclass(frozen=True)
class ScriptLine:
    id: str
    text: str
    intent: str
    start_s: float
    end_s: float


def _has_keyword(text: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text.lower()) is not None
    return word in text


def text_intents(text: str) -> set[str]:
    """Intents the text itself expresses, from the keyword table."""
    return {intent for intent, words in KEYWORDS.items() if any(_has_keyword(text, w) for w in words)}


def check_line(line: ScriptLine) -> None:
    """Refuse an unknown intent, or a declared intent that the text contradicts."""
    if line.intent not in INTENT_GESTURE:
        raise ScriptIntentError(
            "unknown_intent",
            f"line {line.id}: unknown intent {line.intent!r}; known: {', '.join(sorted(INTENT_GESTURE))}",
            line.id,
        )
    if line.intent in NEUTRAL_INTENTS:
        return
    said = text_intents(line.text)
    if said and line.intent not in said:
        raise ScriptIntentError(
            "intent_conflict",
            f"line {line.id}: the gesture for {line.intent!r} contradicts the text, which says "
            f"{' and '.join(sorted(said))}: {line.text!r}",
            line.id,
        )


@dataclass(frozen=True)
class PlannedFrame:
    """Body frame = clip `a` at `a_index`, cross-faded towards clip `b` at `b_index` with weight `mix` (0 = all a)."""

    a: str
    a_index: int
    b: str = ""
    b_index: int = 0
    mix: float = 0.0


def _idle_frame(idle: Clip, t: int, fade: int) -> PlannedFrame:
    # The loop plays with a period of len - fade; its last `fade` frames dissolve into its first ones.
    length = len(idle)
    fade = min(fade, length // 3)
    period = max(length - fade, 1)
    k = t % period
    if k < fade:
        return PlannedFrame("idle", period + k, "idle", k, (k + 1) / (fade + 1))
    return PlannedFrame("idle", k)


def plan_gestures(
    lines: Sequence[ScriptLine],
    assets: AvatarAssets,
    fps: float,
    n_frames: int,
    *,
    crossfade_s: float = 0.24,
    first_frame: int = 0,
) -> list[PlannedFrame]:
    """The body clip to show in each output frame: each line's gesture from its start, idle everywhere else.

    Frames `first_frame` to `n_frames` (the list starts at `first_frame`): a live plan grows by blocks, and planning
    every frame from the start of a day-long stream at each append would cost time and memory growing with its age."""
    for line in lines:
        check_line(line)
    fade = max(round(crossfade_s * fps), 1)
    idle = assets.idle
    first_frame = max(first_frame, 0)
    plan = [_idle_frame(idle, t, fade) for t in range(first_frame, n_frames)]
    busy_until = 0
    for line in sorted(lines, key=lambda ln: ln.start_s):
        name = INTENT_GESTURE[line.intent]
        clip = assets.clips.get(name)
        if name == "idle" or clip is None:
            continue  # falls back to the idle loop already planned
        start = max(round(line.start_s * fps), busy_until)
        length = min(len(clip), n_frames - start)
        if length <= 0:
            continue
        for k in range(max(first_frame - start, 0), length):
            t = start + k
            idle_here = plan[t - first_frame]
            # Dissolve in over the first `fade` frames and back out to idle over the last `fade` frames.
            w = min((k + 1) / (fade + 1), (length - k) / (fade + 1), 1.0)
            if w >= 1.0:
                plan[t - first_frame] = PlannedFrame(name, k)
            else:
                plan[t - first_frame] = PlannedFrame(idle_here.a, idle_here.a_index, name, k, w)
        busy_until = start + length
    return plan


def body_frames(plan: Sequence[PlannedFrame], assets: AvatarAssets) -> Iterator[BodyFrame]:
    """Decode and cross-fade the planned clips (geometry is blended the same way as the pixels)."""
    for p in plan:
        first = clip_frame(assets.clips[p.a], p.a_index)
        if not p.b or p.mix <= 0:
            yield first
            continue
        second = clip_frame(assets.clips[p.b], p.b_index)
        m = float(p.mix)
        image = (first.image.astype(np.float32) * (1 - m) + second.image.astype(np.float32) * m + 0.5).astype(np.uint8)
        yield BodyFrame(
            image=image,
            landmarks=(first.landmarks * (1 - m) + second.landmarks * m).astype(np.float32),
            to_px=(first.to_px * (1 - m) + second.to_px * m).astype(np.float32),
            shape=(first.shape * (1 - m) + second.shape * m).astype(np.float32),
        )
