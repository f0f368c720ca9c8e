"""The two ways a render workflow says no: the consent gate refused (`ConsentRefused`, an API error), or a build or
render cannot go on (`RenderFailed`, a job's or avatar's end state with a stable code)."""

from __future__ import annotations

from common.api import DomainError
from consent.gate import ConsentDenied


class ConsentRefused(DomainError):  # noqa: N818 - the gate's word, as ConsentDenied
    """The gate said no. Everything here reaches the brand (API errors, the error_code/error_message stored on its
    avatars and jobs, its ledger events), so `code`, `reason` and `detail` are the gate's one neutral answer
    (`no_consent_for_you`); the detailed reason is only in `detail_reason`, ledgered as `consent.use_refused` for the
    influencer and staff."""

    def __init__(self, denied: ConsentDenied) -> None:
        super().__init__(denied.brand_message, code=denied.brand_code, status_code=403)
        self.reason = denied.brand_code
        self.detail_reason = denied.reason


class RenderFailed(Exception):  # noqa: N818 - a job's end state, named like the others
    """A build or render that cannot go on; `code` is stable, `message` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
