"""Polling helper for tests: wait for a condition with a short deadline."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until[T](probe: Callable[[], T], done: Callable[[T], bool], timeout: float = 5.0) -> T:
    """Call `probe` every 50 ms until `done(value)`; fail the test with the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")
        time.sleep(0.05)
