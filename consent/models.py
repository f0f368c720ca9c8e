"""Models of the consent domain (filled in by its issue)."""

from __future__ import annotations
