"""Outcome directives: markers in user text that decide how an emulated call ends."""

from __future__ import annotations

from typing import Literal

Outcome = Literal["pass", "fail", "error"]

FAIL = "[emulator:fail]"
ERROR = "[emulator:error]"


def outcome(*texts: str | None) -> Outcome:
    """`error` wins over `fail`; text without a marker passes."""
    joined = " ".join(t for t in texts if t).lower()
    if ERROR in joined:
        return "error"
    if FAIL in joined:
        return "fail"
    return "pass"
