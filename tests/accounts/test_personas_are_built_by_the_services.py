from __future__ import annotations

from typing import Any

from accounts.models import Membership
from accounts.selectors import roles_for


def test_it_builds_every_persona_with_its_role(personas: dict[str, Any]) -> None:
    acme = personas["acme"]
    assert roles_for(personas["alice"], acme) == {Membership.Role.OWNER}
    assert roles_for(personas["bob"], acme) == {Membership.Role.OPERATOR}
    assert roles_for(personas["charlie"], acme) == set()
