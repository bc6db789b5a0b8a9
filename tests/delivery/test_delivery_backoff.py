"""The retry schedule: 5 s doubling to 10 minutes apart, never past an hour from the first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agentsim.delivery.backoff import RETRY_FOR, next_attempt, wait_after

FIRST = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def schedule() -> list[datetime]:
    """Every attempt's time when each one fails."""
    attempts = [FIRST]
    while (due := next_attempt(FIRST, attempts[-1], len(attempts))) is not None:
        attempts.append(due)
    return attempts


def test_the_waits_double_from_five_seconds_up_to_ten_minutes() -> None:
    waits = [wait_after(n).total_seconds() for n in range(1, 11)]

    assert waits == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]


def test_every_attempt_falls_within_an_hour_of_the_first() -> None:
    attempts = schedule()

    assert attempts[-1] - FIRST <= RETRY_FOR == timedelta(hours=1)
    assert attempts[-1] + wait_after(len(attempts)) - FIRST > RETRY_FOR  # one more would not


def test_a_failing_target_gets_a_dozen_attempts() -> None:
    assert len(schedule()) == 12


def test_no_retry_is_due_once_the_hour_has_passed() -> None:
    assert next_attempt(FIRST, FIRST + timedelta(minutes=59, seconds=56), 9) is None
