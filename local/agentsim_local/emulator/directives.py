"""Outcome directives: markers in user text that decide how an emulated call ends, and case
names the control plane was told to fail (`PUT /_emulator/failing-cases`, on every attempt or on
some attempts only), so one request can pass once and regress the next time, or a repeated case
pass some of its attempts."""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

Outcome = Literal["pass", "fail", "error"]

FAIL = "[emulator:fail]"
ERROR = "[emulator:error]"


def outcome(
    *texts: str | None,
    failing: Collection[str] = (),
    attempt: int = 1,
    failing_attempts: Collection[int] = (),
) -> Outcome:
    """`error` wins over `fail`; a text named in `failing` (case-insensitive) fails, on every
    attempt or, when `failing_attempts` names some, on those attempts of the case only (1 is
    its first call in a run); text without a marker passes."""
    joined = " ".join(t for t in texts if t).lower()
    if ERROR in joined:
        return "error"
    if FAIL in joined:
        return "fail"
    named = any(t and t.strip().lower() in failing for t in texts)
    if named and (not failing_attempts or attempt in failing_attempts):
        return "fail"
    return "pass"
