"""Scripts made and approved through the real services, with a software passkey (consent.software_authenticator).

`approved_script(personas, lines)` is what every test that renders uses: render speaks only approved versions, so a
test's lines become a script of Acme, reviewed by alice (Acme's owner, real-name verified here) who overrides each
blocking finding with a written reason (test lines rarely open with the AI disclosure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from consent.scope import challenge_for
from consent.software_authenticator import SoftwareAuthenticator
from tests.consent.helpers import RP, register_passkey

# Well-formed PRC resident ID numbers (GB 11643 check digit) that belong to nobody, one per reviewer persona.
ID_NUMBERS = {
    "alice@acme.example": "110101198502021236",
    "charlie@globex.example": "310101198003154568",
    "bob@acme.example": "440301197501017895",
    "rita@acme.example": "440301199005051233",
}
TEST_OVERRIDE = "Test script: this finding is accepted so that the test exercises what follows."


def verified_reviewer(user: Any) -> SoftwareAuthenticator:
    """Make `user` real-name verified (if not yet) and register a software passkey; the authenticator signs later."""
    from accounts.models import RealNameRecord, User
    from accounts.services import record_real_name

    cached: SoftwareAuthenticator | None = getattr(user, "_test_authenticator", None)
    if cached is not None:
        return cached
    if not RealNameRecord.objects.filter(user=user).exists():
        staff = User.objects.filter(is_staff=True).first()
        number = ID_NUMBERS[user.email]
        record_real_name(
            user=user,
            legal_name=f"{user.display_name} Example",
            id_number=number,
            date_of_birth=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
            method="id_card_nfc",
            verified_by=staff,
        )
    authenticator = register_passkey(user)
    user._test_authenticator = authenticator
    return authenticator


def make_reviewer(organisation: Any, email: str) -> Any:
    """A new member of `organisation` with the reviewer role (by a recorded invitation acceptance of its owner)."""
    from accounts.invitations import add_member_with_recorded_acceptance
    from accounts.models import Membership
    from accounts.services import create_user

    user = create_user(email=email, password=f"{email}-password-1", display_name=email.split("@")[0].title())
    owner = Membership.objects.filter(organisation=organisation, role=Membership.Role.OWNER).first()
    add_member_with_recorded_acceptance(
        organisation=organisation, user=user, role=Membership.Role.REVIEWER, actor=owner.user if owner else None
    )
    verified_reviewer(user)
    return user


def approve(
    version: Any,
    reviewer: Any,
    *,
    overrides: dict[str, str] | None = None,
    authenticator: SoftwareAuthenticator | None = None,
) -> Any:
    """Approve `version` as `reviewer` with their passkey; `overrides=None` overrides every blocking finding."""
    from streaming.services import approve_script_version, begin_script_approval

    authenticator = authenticator or verified_reviewer(reviewer)
    if overrides is None:
        overrides = {f["key"]: TEST_OVERRIDE for f in version.findings if f["severity"] == "block"}
    begun = begin_script_approval(
        version=version, reviewer=reviewer, expected_sha256=version.sha256, overrides=overrides, rp=RP
    )
    assertion = authenticator.get_assertion(challenge_for(begun["document"]))
    return approve_script_version(
        version=version,
        reviewer=reviewer,
        expected_sha256=version.sha256,
        overrides=overrides,
        credential=assertion,
        rp=RP,
    )


def approved_script(
    personas: dict[str, Any],
    lines: list[dict[str, Any]],
    *,
    organisation: Any = None,
    reviewer: Any = None,
    title: str = "Test script",
    language: str = "en",
    avatar: Any = None,
) -> Any:
    """An ApprovedScript (render.script_source) of `lines`, created by and approved by the brand's owner."""
    from render.script_source import script_source
    from streaming.scripts import latest_version
    from streaming.services import create_script

    organisation = organisation or personas["acme"]
    owner = personas["alice"] if organisation == personas["acme"] else personas["charlie"]
    reviewer = reviewer or owner
    script = create_script(
        organisation=organisation, actor=owner, title=title, language=language, lines=lines, avatar=avatar
    )
    version = latest_version(script)
    approve(version, reviewer)
    return script_source().resolve(organisation=organisation, version_id=str(version.public_id))
