"""Models of the streaming domain (filled in by its issue)."""

from __future__ import annotations
