"""The built-in simulator: replays a CSV or JSONL file of comments and room samples at real-time pace (the gaps
between their `offset` seconds, divided by `speed`), through the same storage path as the webhook.

A row: offset (seconds from the start), type (comment, default, or room), id (default: a counter), author_id,
text, events (JSON list, in CSV as text), viewers, orders_per_minute. Used by `manage.py simulate_comments`, the
tests and the demo."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from interaction.ingestion import RateLimitedError, store_messages
from streaming.models import Stream


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield {k: v for k, v in row.items() if v not in (None, "")}
    else:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def _message(row: dict[str, Any], n: int, run: str) -> dict[str, Any]:
    kind = row.get("type", "comment")
    message: dict[str, Any] = {"type": kind, "id": f"sim-{run}-{row.get('id', n)}"}
    if kind == "room":
        if "viewers" in row:
            message["viewers"] = int(row["viewers"])
        if "orders_per_minute" in row:
            message["orders_per_minute"] = float(row["orders_per_minute"])
        return message
    events = row.get("events")
    message.update(
        platform="simulator",
        author_id=str(row.get("author_id", f"viewer-{n}")),
        text=str(row.get("text", "")),
        events=json.loads(events) if isinstance(events, str) else events or [],
    )
    return message


def replay_file(
    *,
    stream: Stream,
    path: Path,
    speed: float = 1.0,
    run: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """Store every row at its time; the stored comments' ids. A rate-limited row waits Retry-After and is sent again,
    as a platform would, so nothing of the file is lost."""
    run = run or str(int(time.time()))
    start = time.monotonic()
    ids: list[int] = []
    for n, row in enumerate(read_rows(path)):
        due = float(row.get("offset", 0)) / max(speed, 1e-6)
        wait = due - (time.monotonic() - start)
        if wait > 0:
            sleep(wait)
        message = _message(row, n, run)
        while True:
            try:
                ids += store_messages(stream=stream, messages=[message]).comment_ids
                break
            except RateLimitedError as exc:
                sleep(exc.retry_after)
    return ids
