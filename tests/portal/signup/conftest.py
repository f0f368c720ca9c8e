"""Sign-up attempts are counted per client IP in the cache (accounts.signup.SignupLimit); each test starts with the
test client's and the browser's address (127.0.0.1) unspent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from accounts.signup import SignupLimit


@pytest.fixture(autouse=True)
def fresh_signup_budget() -> Iterator[None]:
    cache.delete(SignupLimit.key("127.0.0.1"))
    yield
    cache.delete(SignupLimit.key("127.0.0.1"))
