"""GB 45438-2025 Annex E implicit label ("AIGC" JSON) and its carriers: fMP4 moov/udta/meta and FLV onMetaData.

The MP4 carrier is written by `render.engine.fmp4.init_segment` (metadata={"AIGC": label.to_json()}); this module
builds and checks the JSON and the AMF0 script data for an RTMP/FLV push, and decodes AMF0 for read-back checks.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import asdict, dataclass
from typing import Any

# Annex E j): values drawn from printable ASCII without space, '"' and '\'.
_CHARSET = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]*$")
FIELDS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)


class MetadataError(ValueError):
    """An AIGC label or AMF0 payload that breaks the format."""


@dataclass(frozen=True)
class AigcLabel:
    """The seven Annex E fields, in the standard's order. On first write the propagator is the producer."""

    ContentProducer: str
    ProduceID: str
    Label: str = "1"
    ReservedCode1: str = ""
    ContentPropagator: str = ""
    PropagateID: str = ""
    ReservedCode2: str = ""

    def __post_init__(self) -> None:
        if not self.ContentPropagator:
            object.__setattr__(self, "ContentPropagator", self.ContentProducer)
        if not self.PropagateID:
            object.__setattr__(self, "PropagateID", self.ProduceID)
        if self.Label not in ("1", "2", "3"):
            raise MetadataError(f"Label {self.Label!r} must be '1', '2' or '3'")
        for name in FIELDS:
            value = getattr(self, name)
            if not _CHARSET.match(value):
                raise MetadataError(f"{name} {value!r} has characters outside the Annex E set (printable ASCII)")
        if not self.ContentProducer or not self.ProduceID:
            raise MetadataError("ContentProducer and ProduceID must not be empty")

    def to_json(self) -> str:
        values = asdict(self)
        return json.dumps({k: values[k] for k in FIELDS}, separators=(",", ":"), ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> AigcLabel:
        """Accepts the bare object and the {"AIGC": {...}} wrapper some vendors write (rules.md §2.2)."""
        data = json.loads(text)
        if isinstance(data, dict) and set(data) == {"AIGC"}:
            data = data["AIGC"]
        if not isinstance(data, dict) or set(data) != set(FIELDS):
            raise MetadataError(f"AIGC JSON must have exactly the keys {', '.join(FIELDS)}")
        return cls(**{k: str(data[k]) for k in FIELDS})


def check_aigc_json(text: str, *, first_write: bool = True) -> AigcLabel:
    """Read an AIGC value strictly, as an auditor does (rules.md CN-GB-META-FIELDS): a JSON object (bare or in the
    {"AIGC": ...} wrapper) with exactly the seven Annex E keys in the standard's order, every value a string in the
    Annex E character set, Label "1"/"2"/"3", ContentProducer and ProduceID not empty and, on the first write (our
    own output), the propagator fields equal to the producer's. Raises MetadataError naming the first breach."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        raise MetadataError(f"the AIGC value is not JSON: {exc}") from None
    if isinstance(data, dict) and list(data) == ["AIGC"]:
        data = data["AIGC"]
    if not isinstance(data, dict):
        raise MetadataError("the AIGC value is not a JSON object")
    if list(data) != list(FIELDS):
        raise MetadataError(f"the AIGC keys are {', '.join(data)}; Annex E needs exactly {', '.join(FIELDS)}, in order")
    for name in FIELDS:
        if not isinstance(data[name], str):
            raise MetadataError(f"AIGC {name} is a {type(data[name]).__name__}; Annex E values are strings")
    label = AigcLabel(**data)  # charset, Label and non-empty producer checks
    if first_write and (data["ContentPropagator"], data["PropagateID"]) != (data["ContentProducer"], data["ProduceID"]):
        raise MetadataError("on the first write ContentPropagator/PropagateID must equal ContentProducer/ProduceID")
    return label


# --- AMF0 (FLV script data) ---------------------------------------------------------------------------------------

_NUMBER, _BOOLEAN, _STRING, _OBJECT, _NULL, _ECMA_ARRAY, _OBJECT_END, _LONG_STRING = 0, 1, 2, 3, 5, 8, 9, 12


def _amf_string_body(value: str) -> bytes:
    raw = value.encode("utf-8")
    return struct.pack(">H", len(raw)) + raw


def amf0_encode(value: Any) -> bytes:
    if isinstance(value, bool):
        return bytes([_BOOLEAN, int(value)])
    if isinstance(value, int | float):
        return bytes([_NUMBER]) + struct.pack(">d", float(value))
    if isinstance(value, str):
        raw = value.encode("utf-8")
        if len(raw) > 0xFFFF:
            return bytes([_LONG_STRING]) + struct.pack(">I", len(raw)) + raw
        return bytes([_STRING]) + _amf_string_body(value)
    if value is None:
        return bytes([_NULL])
    if isinstance(value, dict):
        body = b"".join(_amf_string_body(k) + amf0_encode(v) for k, v in value.items())
        return bytes([_ECMA_ARRAY]) + struct.pack(">I", len(value)) + body + b"\x00\x00" + bytes([_OBJECT_END])
    raise MetadataError(f"cannot encode {type(value).__name__} in AMF0")


def amf0_decode(data: bytes) -> list[Any]:
    """All AMF0 values in `data` (numbers, booleans, strings, null, objects and ECMA arrays)."""
    values = []
    pos = 0
    while pos < len(data):
        value, pos = _decode_value(data, pos)
        values.append(value)
    return values


def _decode_value(data: bytes, pos: int) -> tuple[Any, int]:
    try:
        marker = data[pos]
        pos += 1
        if marker == _NUMBER:
            return struct.unpack_from(">d", data, pos)[0], pos + 8
        if marker == _BOOLEAN:
            return bool(data[pos]), pos + 1
        if marker == _STRING:
            (n,) = struct.unpack_from(">H", data, pos)
            return data[pos + 2 : pos + 2 + n].decode("utf-8"), pos + 2 + n
        if marker == _LONG_STRING:
            (n,) = struct.unpack_from(">I", data, pos)
            return data[pos + 4 : pos + 4 + n].decode("utf-8"), pos + 4 + n
        if marker == _NULL:
            return None, pos
        if marker in (_OBJECT, _ECMA_ARRAY):
            if marker == _ECMA_ARRAY:
                pos += 4  # the count is advisory; the end marker terminates
            obj: dict[str, Any] = {}
            while True:
                (n,) = struct.unpack_from(">H", data, pos)
                if n == 0 and data[pos + 2] == _OBJECT_END:
                    return obj, pos + 3
                key = data[pos + 2 : pos + 2 + n].decode("utf-8")
                obj[key], pos = _decode_value(data, pos + 2 + n)
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise MetadataError(f"truncated or malformed AMF0 at offset {pos}") from exc
    raise MetadataError(f"unsupported AMF0 marker {marker} at offset {pos - 1}")


def flv_onmetadata_payload(
    label: AigcLabel,
    *,
    width: int,
    height: int,
    fps: float,
    video_kbps: float,
    audio_kbps: float = 128,
    sample_rate: int = 48_000,
    stereo: bool = True,
) -> bytes:
    """The data of an FLV script-data tag (type 18): AMF0 "onMetaData" + an ECMA array that carries AIGC."""
    return amf0_encode("onMetaData") + amf0_encode(
        {
            "width": width,
            "height": height,
            "framerate": fps,
            "videocodecid": 7,  # AVC
            "videodatarate": video_kbps,
            "audiocodecid": 10,  # AAC
            "audiodatarate": audio_kbps,
            "audiosamplerate": sample_rate,
            "audiosamplesize": 16,
            "stereo": stereo,
            "encoder": "veracast-render",
            "AIGC": label.to_json(),
        }
    )
