"""Serializer bases shared by every app.

Every input serializer rejects fields it does not know. A silently ignored field hides client bugs (a typo in
`rolle` would leave the role unchanged and answer 200) and lets a client believe it set something it did not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

UNKNOWN_FIELD = "unknown_field"


class RejectUnknownFieldsMixin:
    """Refuse input keys that are not writable fields of the serializer, with code `unknown_field` per key.

    Read-only fields count as unknown on input: sending `public_id` to change it is a client error, not a no-op.
    """

    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise ValidationError(
                    {
                        name: [ErrorDetail(f"Unknown field '{name}': this endpoint does not accept it.", UNKNOWN_FIELD)]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """A plain serializer that refuses unknown fields."""
