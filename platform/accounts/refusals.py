"""The account services' refusals (`DomainError`), said in the reader's language on the account pages (members,
invitations).

The services write English for the API, where `code` is the contract. Each fixed sentence they write is marked here
with the same English words, so English pages read exactly as before and zh-Hans pages read the catalog's sentence.
A sentence with a value in it (an unknown role's name) is said by its code; anything else falls back to the
service's own sentence, so a refusal is never shown as a code."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from common.api import DomainError

# The services' fixed sentences, marked for the catalogs with the same English words.
MESSAGES = frozenset(
    {
        gettext_noop("Only an owner of the organisation may invite or manage invitations."),
        gettext_noop("Only an owner of the organisation may change its members."),
        gettext_noop("Enter the e-mail address to invite."),
        gettext_noop("This address already belongs to a member; change their role instead."),
        gettext_noop("Another invitation to this address was just sent; look at the pending invitations."),
        gettext_noop("This invitation has expired. Ask an owner of the organisation to invite you again."),
        gettext_noop("This invitation is no longer open."),
        gettext_noop("You are already a member of this organisation; an owner can change your role."),
        gettext_noop("This person is not a member of the organisation: invite them, and they join once they accept."),
        gettext_noop("This user is not a member of the organisation."),
        gettext_noop("The last owner cannot be demoted: make someone else an owner first."),
        gettext_noop("The last owner cannot be removed: make someone else an owner first."),
    }
)
BY_CODE = {
    "invalid_role": gettext_noop("Choose one of the offered roles."),
    "invitation_closed": gettext_noop("This invitation is no longer open."),
}


def refusal_sentence(error: DomainError) -> str:
    message = str(error.detail)
    if message in MESSAGES:
        return gettext(message)
    by_code = BY_CODE.get(str(getattr(error, "code", "") or ""))
    return gettext(by_code) if by_code is not None else message
