"""The blocks a live runner plans and keeps on its lease: re-planning them, cutting in "at once", and forgetting
the ones already spoken (docs/live-runner.md, "Plan memory" and "At once").

A block on the lease is `{"not_before", "lines", "version", "from", "cut"?, "at_frame"?}`: `not_before` the sequence
it was appended at (what `StreamRenderer.append` is given again on a re-plan), `from` the segment its speech starts
at (what the engine answered), `cut` an "at once" interjection, `at_frame` the frame it cut in at when the runner
made the cut between two parts of a segment (streaming/runner/parts.py). The worker running the stream and a worker
taking it over hold the same blocks at every moment (the lease is pruned and the plan trimmed together), and a
block's plan depends only on the CONTEXT_BLOCKS blocks before it, so both render the same segments from the block
being spoken on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from render.engine.stream import CONTEXT_BLOCKS, ScriptLine, StreamPlan, StreamRenderer

RESTART_MARK = "~"  # "<line id>~<sequence>": a line said again in full after an at-once interjection cut it
PLAYLIST_LINE = re.compile(r"^\d+\.\d+\.")  # "<loop>.<entry>.<line id>": next_line's ids (and their restarts)


def script_line(line: dict[str, Any]) -> ScriptLine:
    """The engine's ScriptLine for a planned line: its own rate, pitch and performed gesture when the host's tone set
    them (streaming/runner/toned_lines.py; a line saved before tones, an interjection or an answer speaks the
    stream's voice), so a re-plan from the lease renders the same audio."""
    rate, pitch = line.get("voice_rate"), line.get("voice_pitch")
    return ScriptLine(
        line_id=line["id"],
        text=line["text"],
        language=line["language"],
        intent=str(line.get("performed_intent") or line["intent"]),
        voice_rate=None if rate is None else float(rate),
        voice_pitch=None if pitch is None else float(pitch),
    )


def playlist_line_id(spoken_id: str) -> str:
    """The playlist line a spoken id says (a restarted line carries a mark after it)."""
    return spoken_id.split(RESTART_MARK, 1)[0]


def plan_blocks(renderer: StreamRenderer, blocks: list[dict[str, Any]]) -> StreamPlan:
    """The plan of the lease's blocks: the first from where it was spoken (the stream's opening block plans the
    spoken disclosure too), then every append as it was made."""
    head = blocks[0]
    lines = [script_line(x) for x in head["lines"]]
    plan = renderer.resume(lines, spoken_from=int(head["from"])) if "from" in head else renderer.plan(lines)
    for block in blocks[1:]:
        plan = renderer.append(
            plan,
            [script_line(x) for x in block["lines"]],
            not_before=block["not_before"],
            cut=bool(block.get("cut", False)),
            at_frame=block.get("at_frame"),
        )
    return plan


def first_block_to_keep(blocks: list[dict[str, Any]], next_sequence: int) -> int:
    """Index of the first block a worker taking over at `next_sequence` needs: CONTEXT_BLOCKS before the block that
    segment belongs to, moved back while that block cannot head a plan (a cut-in, whose start depends on the speech
    it cut; or a block cut off before it began, which a later block starting earlier replaced)."""
    if not blocks or any("from" not in b for b in blocks):
        return 0  # blocks saved before plans could be trimmed: keep them all
    spoken = [i for i, b in enumerate(blocks) if b["from"] <= next_sequence]
    if not spoken:
        return 0
    keep = max(spoken[-1] - CONTEXT_BLOCKS, 0)
    while keep > 0 and (blocks[keep].get("cut") or any(b["from"] <= blocks[keep]["from"] for b in blocks[keep + 1 :])):
        keep -= 1
    return keep


def forget_spoken(
    renderer: StreamRenderer, plan: StreamPlan, blocks: list[dict[str, Any]], next_sequence: int
) -> tuple[StreamPlan, list[dict[str, Any]]] | None:
    """The plan and the blocks without what `next_sequence` no longer needs; None when nothing can go."""
    keep = first_block_to_keep(blocks, next_sequence)
    if keep == 0:
        return None
    kept = blocks[keep:]
    return renderer.trim(plan, int(kept[0]["from"])), kept


@dataclass(frozen=True)
class Cut:
    """What an at-once interjection cut: the lines (their ids and seconds heard) and the lines said again."""

    sequence: int
    interrupted: list[dict[str, Any]]  # {"line", "heard_s"}
    restart: list[tuple[dict[str, Any], str]]  # (line, version) to append after the interjection

    def payload(self) -> dict[str, Any]:
        return {
            "cut_sequence": self.sequence,
            "interrupted": self.interrupted,
            "restarted": [line["id"] for line, _ in self.restart],
        }


def cut_made(plan: StreamPlan, cuts_before: int, blocks: list[dict[str, Any]]) -> Cut | None:
    """The cut the last append made (None when it cut nothing: no line was being spoken). The interrupted line, and
    any planned but not begun, are said again in full after the interjection (a line resumed mid-sentence would not
    make sense; lines are short), as new lines with a restart mark."""
    new = plan.cuts[cuts_before:]
    if not new:
        return None
    sequence = new[0][0]
    restart: list[tuple[dict[str, Any], str]] = []
    for _, line_id, _ in new:
        for block in reversed(blocks):
            line = next((x for x in block["lines"] if x["id"] == line_id), None)
            if line is not None:
                again = {**line, "id": f"{playlist_line_id(line_id)}{RESTART_MARK}{sequence}"}
                restart.append((again, block["version"]))
                break
    interrupted = [{"line": line_id, "heard_s": round(heard, 3)} for _, line_id, heard in new]
    return Cut(sequence=sequence, interrupted=interrupted, restart=restart)
