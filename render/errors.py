"""The two ways a render workflow says no: the consent gate refused (`ConsentRefused`, an API error), or a build or
render cannot go on (`RenderFailed`, a job's or avatar's end state with a stable code)."""

from __future__ import annotations

from common.api import DomainError
from consent.gate import ConsentDenied


class ConsentRefused(DomainError):  # noqa: N818 - the gate's word, as ConsentDenied
    """The gate said no; `code` is the gate's reason (no_consent, revoked, modality_not_granted, ...)."""

    def __init__(self, denied: ConsentDenied) -> None:
        super().__init__(denied.message, code=denied.reason, status_code=403)
        self.reason = denied.reason


class RenderFailed(Exception):  # noqa: N818 - a job's end state, named like the others
    """A build or render that cannot go on; `code` is stable, `message` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
