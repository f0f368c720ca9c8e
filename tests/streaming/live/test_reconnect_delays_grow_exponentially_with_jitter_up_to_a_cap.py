"""The wait after the n-th failed connection attempt doubles from the initial delay up to the cap, and jitter takes
off up to its fraction at random (so pushers cut by one ingest restart do not come back in step)."""

from __future__ import annotations

import pytest

from streaming.live import ReconnectPolicy


def test_delays_double_up_to_the_cap_without_jitter() -> None:
    policy = ReconnectPolicy(initial_delay_s=0.5, multiplier=2, max_delay_s=5, jitter=0)
    assert [policy.delay(n, lambda: 0.9) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_takes_off_at_most_its_fraction() -> None:
    policy = ReconnectPolicy(initial_delay_s=1, multiplier=2, max_delay_s=60, jitter=0.5)
    assert policy.delay(3, lambda: 0.0) == 4.0
    assert policy.delay(3, lambda: 0.5) == 3.0
    assert policy.delay(3, lambda: 0.999) == pytest.approx(2.002)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"jitter": 1.5}, {"multiplier": 0.5}, {"give_up_after_s": 0}, {"initial_delay_s": -1}],
)
def test_a_policy_that_would_retry_forever_or_backwards_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"must|needs|fraction"):
        ReconnectPolicy(**kwargs)  # type: ignore[arg-type]
