"""A run's cases (`GET /simulations/{id}/cases` items) as the reports show them.

Every item is third-party text (names, reasoning, transcripts come from the provider and from
whoever wrote the scenario), so nothing here trusts it: `clean` drops what XML 1.0 cannot carry
and the writers escape the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all (control characters, lone surrogates, U+FFFE/FFFF)."""


class Result(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_GRADED = "not graded"


@dataclass(frozen=True)
class Case:
    """One case as reported: its key (unique within the run), result and the judge's why."""

    key: str
    result: Result
    verdict: str
    why: str
    status: str | None = None
    duration_seconds: float | None = None
    recording_url: str | None = None
    transcript_url: str | None = None
    transcript: str = ""


def clean(text: Any) -> str:
    """`text` as a string XML 1.0 can hold (each character it cannot replaced by U+FFFD)."""
    return _NOT_XML.sub("\ufffd", "" if text is None else str(text))


def cases_of(items: Iterable[Mapping[str, Any]]) -> list[Case]:
    """The items as cases, in call order, each key made unique (`name (2)` for a repeat)."""
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        key = _key(item, number)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key} ({seen[key]})"
        cases.append(_case(item, key))
    return cases


def _key(item: Mapping[str, Any], number: int) -> str:
    """The case's stable key (`case_key`) when the stack gives one, else its name or id."""
    for field in ("case_key", "name", "case_id"):
        value = item.get(field)
        if value is not None and str(value).strip():
            return clean(str(value).strip())
    return f"case {item.get('number', number)}"


def _case(item: Mapping[str, Any], key: str) -> Case:
    verdict = str(item.get("verdict") or "NONE")
    result = {"PASSED": Result.PASSED, "NONE": Result.NOT_GRADED}.get(verdict, Result.FAILED)
    status = item.get("status")
    why = clean(item.get("reasoning") or "").strip()
    if not why and result is not Result.PASSED:
        why = f"provider status: {status}" if status else f"verdict {verdict}"
    return Case(
        key=key,
        result=result,
        verdict=clean(verdict),
        why=why,
        status=None if status is None else clean(status),
        duration_seconds=_seconds(item.get("duration_seconds")),
        recording_url=_url(item.get("recording_url")),
        transcript_url=_url(item.get("transcript_url")),
        transcript=_transcript(item.get("transcript")),
    )


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return max(0.0, float(value))


def _url(value: Any) -> str | None:
    """A URL worth linking: http(s) only (a `javascript:` one from a provider is dropped)."""
    if not isinstance(value, str) or not re.match(r"https?://", value, re.IGNORECASE):
        return None
    return clean(value)


def _transcript(value: Any) -> str:
    """A transcript as lines `speaker: words`, whatever keys the provider uses."""
    if not isinstance(value, list):
        return ""
    lines = []
    for turn in value:
        if not isinstance(turn, Mapping):
            lines.append(clean(turn))
            continue
        speaker = next((turn[k] for k in ("role", "sender_type", "speaker") if turn.get(k)), "turn")
        words = next((turn[k] for k in ("content", "value", "text", "message") if turn.get(k)), "")
        lines.append(f"{clean(speaker)}: {clean(words)}")
    return "\n".join(lines)
