"""Outcome directives: markers in user text that decide how an emulated call ends, and case
names the control plane was told to fail (`PUT /_emulator/failing-cases`), so one request can
pass once and regress the next time."""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

Outcome = Literal["pass", "fail", "error"]

FAIL = "[emulator:fail]"
ERROR = "[emulator:error]"


def outcome(*texts: str | None, failing: Collection[str] = ()) -> Outcome:
    """`error` wins over `fail`; a text named in `failing` (case-insensitive) fails; text without
    a marker passes."""
    joined = " ".join(t for t in texts if t).lower()
    if ERROR in joined:
        return "error"
    if FAIL in joined or any(t and t.strip().lower() in failing for t in texts):
        return "fail"
    return "pass"
