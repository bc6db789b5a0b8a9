"""Adaptive polling: short at first, growing toward a cap set by the expected duration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentsim.runs.pacing import next_wait


def schedule(
    expected: float | None, polls: int, minimum: int = 15, maximum: int = 300
) -> list[int]:
    return [next_wait(n, expected, minimum=minimum, maximum=maximum) for n in range(polls)]


def test_first_wait_is_the_minimum() -> None:
    assert next_wait(0, 3600, minimum=15, maximum=300) == 15


def test_waits_grow_and_never_shrink() -> None:
    waits = schedule(3600, 12)

    assert waits == sorted(waits)
    assert waits[0] < waits[-1]


def test_long_runs_grow_to_the_maximum() -> None:
    assert schedule(expected=10 * 3600, polls=30)[-1] == 300


def test_short_expected_run_caps_the_wait_at_a_tenth_of_it() -> None:
    # A 10-minute run is polled at most every minute, not every 5 minutes.
    assert max(schedule(expected=600, polls=30)) == 60


def test_cap_never_goes_below_the_minimum() -> None:
    assert schedule(expected=20, polls=10) == [15] * 10


def test_unknown_duration_grows_to_the_maximum() -> None:
    assert schedule(expected=None, polls=40)[-1] == 300


@pytest.mark.parametrize("poll", range(0, 50, 7))
def test_every_wait_is_within_the_template_bounds(poll: int) -> None:
    assert 2 <= next_wait(poll, 123.0, minimum=2, maximum=9) <= 9


def test_wait_stops_just_after_a_near_deadline() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)

    wait = next_wait(
        20, 3600, minimum=15, maximum=300, now=now, deadline=now + timedelta(seconds=40)
    )

    assert wait == 41


def test_wait_is_never_below_the_minimum_even_at_the_deadline() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)

    assert next_wait(5, 3600, minimum=15, maximum=300, now=now, deadline=now) == 15


def test_inverted_bounds_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="minimum"):
        next_wait(0, None, minimum=30, maximum=10)
