"""The one JSON loader for request bodies: it refuses pathological documents instead of crashing on them.

Python's `json` turns 100,000 nested brackets into a RecursionError, accepts `NaN`/`Infinity`, makes `1e999` an
infinite float and leaves 4,000-digit integers for the database to overflow on. Every request body is read through
`loads` (the DRF parser below, and `MalformedJSONMiddleware` for every JSON request before any view or
authentication), so each of these is a 400 `malformed_json` on every endpoint instead of a 500 somewhere.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Deeper than any document Veracast accepts (scope documents nest about 4 levels; WebAuthn payloads 3), shallow
# enough that serializers, RFC 8785 canonicalisation and ledger hashing never recurse near Python's limit.
MAX_DEPTH = 32
# Integers beyond 64 bits fit no column and no protocol field here.
MAX_INT = 2**63 - 1

CODE = "malformed_json"


class MalformedJSONError(ValueError):
    """The body is not JSON Veracast accepts; the message says why, without echoing the body."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 19:  # checked before int() so a 4,000-digit number costs nothing
        raise MalformedJSONError("A number in the body is out of range.")
    number = int(text)
    if not -MAX_INT - 1 <= number <= MAX_INT:
        raise MalformedJSONError("A number in the body is out of range.")
    return number


def _parse_float(text: str) -> float:
    if len(text) > 64:
        raise MalformedJSONError("A number in the body is too long.")
    number = float(text)
    if not math.isfinite(number):
        raise MalformedJSONError("A number in the body is out of range.")
    return number


def _refuse_constant(name: str) -> Any:
    raise MalformedJSONError(f"{name} is not JSON.")


def _check_depth(value: Any, max_depth: int) -> None:
    # Iterative on purpose: a recursive walk would fail on the very documents this guards against.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            raise MalformedJSONError(f"The body nests deeper than {max_depth} levels.")
        stack.extend((child, depth + 1) for child in children)


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse `data` as JSON or raise `MalformedJSONError` (never RecursionError, never a non-finite number)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_refuse_constant)
    except MalformedJSONError:
        raise
    except RecursionError:
        raise MalformedJSONError(f"The body nests deeper than {max_depth} levels.") from None
    except UnicodeDecodeError:
        raise MalformedJSONError("The body is not UTF-8.") from None
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise MalformedJSONError(f"The body is not valid JSON: {exc}") from None
    _check_depth(value, max_depth)
    return value


def is_json_content_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, reading through `loads`."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            return loads(raw.decode(encoding) if isinstance(raw, bytes) else raw)
        except UnicodeDecodeError:
            raise ParseError("The body is not valid text.", code=CODE) from None
        except MalformedJSONError as exc:
            raise ParseError(str(exc), code=CODE) from None
