"""Attack: look-alike brand. A brand whose name looks like a verified brand's (homoglyphs from other scripts,
full-width forms, case, spacing) is refused when created, renamed or verified; invisible and text-direction
characters are refused in any brand name."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.brand_names import forbidden_characters, skeleton
from accounts.brands import submit_legal_entity, verify_organisation
from accounts.services import create_organisation, update_organisation
from common.api import DomainError

LOOK_ALIKES = {
    "Greek capital Alpha": "\u0391cme",
    "Cyrillic small e": "Acm\u0435",
    "full-width forms": "\uff21\uff43\uff4d\uff45",
    "upper case": "ACME",
    "spaced out": "A c m e",
    "rn for m": "Acrne",
    "mathematical bold": "\U0001d400\U0001d41c\U0001d426\U0001d41e",
}
INVISIBLE = {
    "zero-width space": "Ac\u200bme",
    "zero-width joiner": "Ac\u200dme",
    "right-to-left override": "\u202eemcA",
    "left-to-right isolate": "\u2066Acme\u2069",
    "byte order mark": "\ufeffAcme",
    "soft hyphen": "Ac\u00adme",
    "control character": "Acme\u0007",
}


@pytest.mark.parametrize("name", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_a_look_alike_of_a_verified_brand_cannot_be_created(personas: dict[str, Any], name: str) -> None:
    assert skeleton(name) == skeleton("Acme")
    with pytest.raises(DomainError) as refused:
        create_organisation(name=name, slug="impostor", owner=personas["charlie"])
    assert refused.value.detail.code == "brand_name_lookalike"
    assert refused.value.status_code == 409
    assert "looks like the verified brand “Acme”" in str(refused.value.detail)


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_and_direction_characters_are_refused_in_any_name(personas: dict[str, Any], name: str) -> None:
    assert forbidden_characters(name)
    with pytest.raises(DomainError) as refused:
        create_organisation(name=name.replace("Acme", "Zenith"), slug="zenith", owner=personas["charlie"])
    assert refused.value.detail.code == "brand_name_invalid_characters"
    assert "U+" in str(refused.value.detail)


def test_renaming_into_a_look_alike_is_refused_but_a_brand_may_restyle_its_own_name(personas: dict[str, Any]) -> None:
    globex, acme = personas["globex"], personas["acme"]
    with pytest.raises(DomainError) as refused:
        update_organisation(organisation=globex, actor=personas["charlie"], name="\u0410cme")  # Cyrillic A
    assert refused.value.detail.code == "brand_name_lookalike"
    globex.refresh_from_db()
    assert globex.name == "Globex"
    update_organisation(organisation=acme, actor=personas["alice"], name="ACME")  # its own name: no clash
    assert acme.name == "ACME"


def test_a_look_alike_made_before_the_original_was_verified_cannot_be_verified(personas: dict[str, Any]) -> None:
    # "Initech" is not verified yet, so an unverified look-alike may exist; only one of them can become verified.
    real = create_organisation(name="Initech", slug="initech", owner=personas["alice"])
    fake = create_organisation(name="\u0406nitech", slug="initech-cn", owner=personas["charlie"])  # Cyrillic I
    submit_legal_entity(
        organisation=real, actor=personas["alice"], legal_name="Initech Co., Ltd.", uscc="91110000802100433B"
    )
    submit_legal_entity(
        organisation=fake, actor=personas["charlie"], legal_name="Fake Co., Ltd.", uscc="91440300708461136T"
    )
    verify_organisation(organisation=real, actor=personas["sam"])
    with pytest.raises(DomainError) as refused:
        verify_organisation(organisation=fake, actor=personas["sam"])
    assert refused.value.detail.code == "brand_name_lookalike"
    fake.refresh_from_db()
    assert fake.verification_status == "pending"


def test_different_names_are_not_confused(personas: dict[str, Any]) -> None:
    for name in ("Acme Cosmetics", "Acne", "Globe", "艾克美"):
        assert create_organisation(name=name, slug=f"brand-{len(name)}-{ord(name[0])}", owner=personas["charlie"])
