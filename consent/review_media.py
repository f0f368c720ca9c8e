"""A reviewer's access to a grant's statement video and training sample: decrypted in memory (never on disk),
served whole or by byte range, and ledgered (`consent.media_viewed`) when a viewing starts.

A <video> element asks for `bytes=0-` first and then for later ranges as it plays or seeks; the ledger records the
request that starts at byte 0 (or asks for everything), not every range, so one viewing is one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction

from accounts.models import User
from audit.services import record_event
from consent import vault
from consent.models import ConsentGrant, VaultObject
from consent.review_selectors import media_of, require_reviewer

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range


class RangeNotSatisfiableError(Exception):
    pass


def parse_range(header: str, size: int) -> ByteRange | None:
    """The one byte range a Range header asks for; None for the whole body (no header, or several ranges, which
    RFC 9110 lets a server answer with the whole representation). Raises RangeNotSatisfiableError otherwise."""
    header = header.strip()
    if not header or "," in header:
        return None
    match = _RANGE.match(header)
    if match is None or match.group(1) == match.group(2) == "":
        raise RangeNotSatisfiableError(header)
    first, last = match.group(1), match.group(2)
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiableError(header)
        return ByteRange(max(size - length, 0), size - 1)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiableError(header)
    return ByteRange(start, end)


def open_review_media(*, grant: ConsentGrant, reviewer: User, kind: str, starts_viewing: bool) -> BinaryIO:
    """The decrypted object (authenticated whole before a byte is read); ledgers the viewing when it starts."""
    require_reviewer(reviewer)
    obj: VaultObject = media_of(grant, kind)
    plain = vault.open_object(obj)
    if starts_viewing:
        with transaction.atomic():
            record_event(
                kind="consent.media_viewed",
                subject=f"consent:{grant.public_id}",
                payload={"media": kind, "object": str(obj.public_id), "plaintext_sha256": obj.plaintext_sha256},
                actor=reviewer,
            )
    return plain
