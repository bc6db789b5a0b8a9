"""When a failed delivery is tried again: 5 s after the first failure, doubling up to 10
minutes apart, for an hour from the first attempt (then it is given up). About 12 attempts."""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_WAIT_SECONDS = 5
LONGEST_WAIT_SECONDS = 600
RETRY_FOR = timedelta(hours=1)


def wait_after(failures: int) -> timedelta:
    """The pause after the `failures`-th failed attempt (from 1)."""
    seconds = FIRST_WAIT_SECONDS * 2 ** min(max(failures - 1, 0), 16)
    return timedelta(seconds=min(seconds, LONGEST_WAIT_SECONDS))


def next_attempt(first_at: datetime, last_at: datetime, failures: int) -> datetime | None:
    """When to try again after `failures` failed attempts, None once past the hour."""
    due = last_at + wait_after(failures)
    return due if due - first_at <= RETRY_FOR else None
