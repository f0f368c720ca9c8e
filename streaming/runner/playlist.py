"""The stream's playlist as the runner speaks it: block after block, one approved script version per block, looping
for as long as the stream is live.

Each block is checked again when it is taken (render.script_source: the approval still stands, no product of a
category the consent excludes), so a version whose approval was withdrawn stops airing at the next loop. With
`shuffle_within_intents`, the lines of each intent swap places among that intent's positions (seeded by the stream
and the loop, so a loop is not word for word the last one, yet a re-plan after a takeover is the same); the first
line, the spoken AI disclosure the linter requires, stays first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from common.api import DomainError
from interaction.tone import NORMAL, tiered_order
from render.script_source import script_source
from streaming.models import Stream


@dataclass(frozen=True)
class NextLine:
    line: dict[str, Any]  # {"id", "text", "language", "intent", "script_version"}: the id is unique in the stream
    version_id: str
    # {"loop", "entry", "line"} after this line; "order" (the entry's line positions in speaking order) and "tier"
    # (the strategy tier that order was made for) once a tier is given.
    cursor: dict[str, Any]


class PlaylistRefusedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def shuffled_within_intents(lines: list[dict[str, Any]], seed: str) -> list[dict[str, Any]]:
    if len(lines) < 3:
        return list(lines)
    rng = random.Random(seed)  # noqa: S311 - a reproducible order, not a secret
    head, rest = lines[0], list(lines[1:])
    by_intent: dict[str, list[int]] = {}
    for index, line in enumerate(rest):
        by_intent.setdefault(str(line.get("intent", "idle")), []).append(index)
    out = list(rest)
    for positions in by_intent.values():
        chosen = [rest[i] for i in positions]
        rng.shuffle(chosen)
        for position, line in zip(positions, chosen, strict=True):
            out[position] = line
    return [head, *out]


def speaking_order(
    lines: list[dict[str, Any]], cursor: dict[str, Any], *, at: int, same_entry: bool, tier: str | None
) -> tuple[list[int], str]:
    """The order the entry's lines are spoken in, and the tier it was made for. A new entry is ordered for `tier`
    (its first line, the AI disclosure, stays first); inside an entry only the lines not spoken yet are reordered
    when the tier changes. Always a permutation of the approved version's own lines: a tier adds no line."""
    intents = [str(line.get("intent", "idle")) for line in lines]
    stored = cursor.get("order") if same_entry and at > 0 else None
    if isinstance(stored, list) and sorted(stored) == list(range(len(lines))):
        order, made_for = [int(p) for p in stored], str(cursor.get("tier", NORMAL))
    elif at > 0:  # a lease saved before tiers: the version's own order so far
        order, made_for = list(range(len(lines))), NORMAL
    else:
        made_for = tier or NORMAL
        return tiered_order(intents, made_for, keep_first=True), made_for
    if tier is not None and tier != made_for:
        rest = order[at:]
        order = order[:at] + [rest[i] for i in tiered_order([intents[p] for p in rest], tier, keep_first=False)]
        made_for = tier
    return order, made_for


def next_line(stream: Stream, cursor: dict[str, Any], *, tier: str | None = None) -> NextLine:
    """The line after `cursor` in the looping playlist. The runner plans one line per block, so an operator's
    interjection lands at the next line boundary and a revoked approval stops at the next line. `tier` (the host's
    strategy tier, interaction/tone.py) reorders the version's lines still to come; None keeps the cursor's order."""
    entries = list(stream.playlist.select_related("version").order_by("position"))
    if not entries:
        raise PlaylistRefusedError("empty_playlist", "The stream's playlist is empty.")
    loop, index, at = int(cursor.get("loop", 0)), int(cursor.get("entry", 0)), int(cursor.get("line", 0))
    start = (loop, index)
    for _ in range(len(entries) + 1):
        if index >= len(entries):
            loop, index, at = loop + 1, 0, 0
        version_id = str(entries[index].version.public_id)
        try:
            script = script_source().resolve(organisation=stream.organisation, version_id=version_id)
            if stream.consent_grant is not None:
                script_source().check_voicing(script=script, grant=stream.consent_grant)
        except DomainError as refused:
            raise PlaylistRefusedError(str(refused.code), str(refused.detail)) from None
        lines = script.job_lines()
        if at < len(lines):
            break
        index, at = index + 1, 0
    else:
        raise PlaylistRefusedError("empty_playlist", "No version of the playlist has a line to speak.")
    if stream.shuffle_within_intents and loop > 0:
        lines = shuffled_within_intents(lines, f"{stream.public_id}:{loop}:{index}")
    order, made_for = speaking_order(lines, cursor, at=at, same_entry=(loop, index) == start, tier=tier)
    line = lines[order[at]]
    spoken = {
        "id": f"{loop}.{index}.{line['id']}",
        "text": line["text"],
        "language": line["language"],
        "intent": line["intent"],
        "script_version": line["script_version"],
    }
    following = {"loop": loop, "entry": index, "line": at + 1, "order": order, "tier": made_for}
    return NextLine(line=spoken, version_id=version_id, cursor=following)
