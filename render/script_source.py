"""Approved scripts as render sees them.

Render speaks only approved script versions (issue "Scripts"), yet it knows nothing of streaming, which owns scripts:
imports go accounts <- consent <- render <- streaming. So streaming registers a `ScriptSource` at start-up
(`StreamingConfig.ready`), and render asks it (1) for the approved version a job names and (2) again at render time
whether that version may still be voiced under the grant the job runs on: an approval withdrawn, or a product whose
category the influencer's consent excludes, is refused then too. Without a registered source nothing renders: render
fails closed rather than speaking unreviewed words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from common.api import DomainError

if TYPE_CHECKING:
    from accounts.models import Organisation
    from consent.models import ConsentGrant


@dataclass(frozen=True)
class ApprovedLine:
    """One line of an approved version, with what the gate and the ledger need besides its words."""

    id: str
    text: str
    language: str
    intent: str
    product_ids: tuple[str, ...] = ()
    product_categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApprovedScript:
    """An approved script version: render records its hash on every line it speaks."""

    script_id: str
    version_id: str
    version_number: int
    version_sha256: str
    approval_id: str
    organisation_id: int
    lines: tuple[ApprovedLine, ...] = field(default_factory=tuple)

    def job_lines(self) -> list[dict[str, Any]]:
        """The lines as a render job stores them (RenderJob.lines): each carries the version hash it was approved in."""
        return [
            {
                "id": line.id,
                "text": line.text,
                "language": line.language,
                "intent": line.intent,
                "product_ids": list(line.product_ids),
                "product_categories": list(line.product_categories),
                "script_version": self.version_sha256,
            }
            for line in self.lines
        ]

    def reference(self) -> dict[str, Any]:
        """What the ledger records of the script a job or a short video speaks."""
        return {
            "script": self.script_id,
            "script_version": self.version_id,
            "script_version_number": self.version_number,
            "script_version_sha256": self.version_sha256,
            "script_approval": self.approval_id,
        }


@dataclass(frozen=True)
class ApprovedChoice:
    """One approved version as a start form offers it."""

    version_id: str
    title: str
    version_number: int


class ScriptSource(Protocol):
    def list_approved(self, *, organisation: Organisation) -> list[ApprovedChoice]:
        """The organisation's approved versions, for the pages' start forms (newest first per script)."""
        ...

    def resolve(self, *, organisation: Organisation, version_id: str) -> ApprovedScript:
        """The approved version `version_id` of the organisation's scripts, or DomainError (404 unknown, 409 not
        approved)."""
        ...

    def check_voicing(self, *, script: ApprovedScript, grant: ConsentGrant) -> None:
        """None when the version may be voiced under `grant` now; DomainError (409) when its approval was withdrawn
        or a product's category is excluded by the consent."""
        ...


_source: ScriptSource | None = None


def register_script_source(source: ScriptSource | None) -> None:
    """Called once by streaming at start-up (tests may swap it and must restore it)."""
    global _source
    _source = source


def script_source() -> ScriptSource:
    if _source is None:
        raise DomainError(
            "No script source is installed, so nothing can be rendered: only approved scripts are spoken.",
            code="script_source_unavailable",
            status_code=503,
        )
    return _source
