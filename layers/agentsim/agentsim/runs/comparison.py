"""A run compared with its baseline: which cases flipped, which are missing or new, which flake.

Pure functions of case outcomes keyed by `case_key` (stable across runs of a series); repeated
attempts of one case count as one case that passed when enough attempts passed (`repeat`). A
case is flaky when it both passed and failed among this run's attempts or across the series'
recent runs; its flake rate is the share of those outcomes that differ from its majority.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from pydantic import BaseModel, Field

FLAKE_WINDOW = 10
"""How many of the series' latest runs (this one included) a flake rate looks at."""


class CaseOutcome(BaseModel):
    """One graded attempt of a case: its key and whether it passed."""

    case_key: str
    passed: bool


class FlakyCase(BaseModel):
    case_key: str
    flake_rate: float = Field(ge=0, le=1)
    """Share of the case's graded outcomes in the window that disagree with its majority."""


class Comparison(BaseModel):
    """What changed since the baseline run of the series."""

    baseline_run_id: str
    pass_rate: float | None = Field(default=None, ge=0, le=1)
    baseline_pass_rate: float | None = Field(default=None, ge=0, le=1)
    pass_rate_delta: float | None = Field(default=None, ge=-1, le=1)
    newly_failing: list[str] = Field(default_factory=list)
    newly_passing: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    """Cases of the baseline this run did not grade."""
    new: list[str] = Field(default_factory=list)
    """Cases this run graded that the baseline did not."""
    flaky: list[FlakyCase] = Field(default_factory=list)


def case_passes(outcomes: Iterable[CaseOutcome], min_passes: int = 1) -> dict[str, bool]:
    """Each case's result: passed when at least `min_passes` of its attempts passed (all of
    them when it was attempted fewer times than that)."""
    attempts: dict[str, list[bool]] = defaultdict(list)
    for outcome in outcomes:
        attempts[outcome.case_key].append(outcome.passed)
    return {key: sum(results) >= min(min_passes, len(results)) for key, results in attempts.items()}


def pass_rate(cases: Mapping[str, bool]) -> float | None:
    return float(Fraction(sum(cases.values()), len(cases))) if cases else None


def flaky_cases(
    current: Sequence[CaseOutcome], history: Sequence[Sequence[CaseOutcome]]
) -> list[FlakyCase]:
    """Cases with both outcomes among this run's attempts or the series' recent runs (`history`,
    newest first, this run not included; at most `FLAKE_WINDOW - 1` of them are read)."""
    seen: dict[str, list[bool]] = defaultdict(list)
    for run in [current, *history[: FLAKE_WINDOW - 1]]:
        for outcome in run:
            seen[outcome.case_key].append(outcome.passed)
    flaky = []
    for key in sorted(seen):
        results = seen[key]
        passes = sum(results)
        if 0 < passes < len(results):
            minority = min(passes, len(results) - passes)
            flaky.append(FlakyCase(case_key=key, flake_rate=round(minority / len(results), 4)))
    return flaky


def compare(
    baseline_run_id: str,
    current: Sequence[CaseOutcome],
    baseline: Sequence[CaseOutcome],
    history: Sequence[Sequence[CaseOutcome]] = (),
    *,
    min_passes: int = 1,
) -> Comparison:
    now = case_passes(current, min_passes)
    before = case_passes(baseline, min_passes)
    rate, baseline_rate = pass_rate(now), pass_rate(before)
    delta = None
    if rate is not None and baseline_rate is not None:
        delta = round(rate - baseline_rate, 6)
    both = sorted(now.keys() & before.keys())
    return Comparison(
        baseline_run_id=baseline_run_id,
        pass_rate=rate,
        baseline_pass_rate=baseline_rate,
        pass_rate_delta=delta,
        newly_failing=[k for k in both if before[k] and not now[k]],
        newly_passing=[k for k in both if now[k] and not before[k]],
        missing=sorted(before.keys() - now.keys()),
        new=sorted(now.keys() - before.keys()),
        flaky=flaky_cases(current, history),
    )
