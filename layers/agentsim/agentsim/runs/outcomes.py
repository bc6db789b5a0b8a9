"""A run's per-case outcome summary, kept on its record: case key -> attempts passed, failed and
made, and how many passes a case needs (`repeat.min_passes`).

A comparison, its flake window and a series' history read these from the runs a `by-series`
index query returns, never the runs' case items. Stored compactly so a 500-case run still fits
its record in one DynamoDB item (400 KB): a case is one map entry `"<key>": "<passed>/<failed>/
<attempts>"`, and a key longer than `MAX_KEY` is shortened to a prefix and a digest of the whole
key (still unique, still readable). 500 cases with keys of `MAX_KEY` characters take ~70 KB.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

MAX_KEY = 128
"""Longest case key kept as it is; a longer one becomes `<prefix>…<12 hex digits>`."""
DIGEST = 12


def short_key(key: str) -> str:
    """`key`, or for a long one its first characters and a digest of all of it."""
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST]
    return f"{key[: MAX_KEY - DIGEST - 1]}…{digest}"


class Tally(BaseModel):
    """One case's attempts in one run: graded passes and failures, and all attempts made
    (ungraded ones too: OmniDimension grades no call)."""

    model_config = ConfigDict(frozen=True)

    passed: int = Field(default=0, ge=0)
    failed: int = Field(default=0, ge=0)
    attempts: int = Field(default=0, ge=0)

    @property
    def graded(self) -> int:
        return self.passed + self.failed

    def result(self, min_passes: int) -> bool | None:
        """Passed when at least `min_passes` graded attempts passed (all of them when fewer
        were graded); None when none was graded."""
        if not self.graded:
            return None
        return self.passed >= min(min_passes, self.graded)

    def compact(self) -> str:
        return f"{self.passed}/{self.failed}/{self.attempts}"


def _parse_tally(value: Any) -> Any:
    if isinstance(value, str):
        passed, failed, attempts = (int(part) for part in value.split("/"))
        return {"passed": passed, "failed": failed, "attempts": attempts}
    return value


StoredTally = Annotated[
    Tally,
    BeforeValidator(_parse_tally),
    PlainSerializer(Tally.compact, return_type=str, when_used="json"),
]


class CaseOutcomes(BaseModel):
    """Every case of a run, by key, with its attempts."""

    min_passes: int = Field(default=1, ge=1)
    cases: dict[str, StoredTally] = Field(default_factory=dict)

    @classmethod
    def of(cls, attempts: Iterable[tuple[str, bool | None]], min_passes: int = 1) -> CaseOutcomes:
        """From `(case key, passed)` per attempt; `passed` None: the attempt was not graded."""
        counts: dict[str, list[int]] = {}
        for key, passed in attempts:
            count = counts.setdefault(short_key(key), [0, 0, 0])
            count[2] += 1
            if passed is not None:
                count[0 if passed else 1] += 1
        cases = {k: Tally(passed=p, failed=f, attempts=n) for k, (p, f, n) in counts.items()}
        return cls(min_passes=min_passes, cases=cases)

    def results(self) -> dict[str, bool]:
        """Each graded case's result (k of n: `min_passes`)."""
        found = {key: tally.result(self.min_passes) for key, tally in self.cases.items()}
        return {key: passed for key, passed in found.items() if passed is not None}

    def graded(self) -> Mapping[str, Tally]:
        return {key: tally for key, tally in self.cases.items() if tally.graded}
