"""A run compared with its baseline: which cases flipped, which are missing or new, which flake.

Pure functions of runs' case outcome summaries (`outcomes.CaseOutcomes`, keyed by `case_key`,
stable across runs of a series); repeated attempts of one case count as one case that passed
when enough attempts passed (`repeat.min_passes`, each run's own). A
case is flaky when it both passed and failed among this run's attempts or across the series'
recent runs; its flake rate is the share of those outcomes that differ from its majority.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from pydantic import BaseModel, Field

from agentsim.runs.outcomes import CaseOutcomes

FLAKE_WINDOW = 10
"""How many of the series' latest runs (this one included) a flake rate looks at."""


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


def pass_rate(cases: Mapping[str, bool]) -> float | None:
    return float(Fraction(sum(cases.values()), len(cases))) if cases else None


def flake_rates(runs: Sequence[CaseOutcomes]) -> dict[str, float]:
    """Each case's flake rate over `runs` (newest first; the first `FLAKE_WINDOW` are read):
    the share of its graded attempts that disagree with its majority, 0 for a steady case."""
    passed: Counter[str] = Counter()
    graded: Counter[str] = Counter()
    for run in runs[:FLAKE_WINDOW]:
        for key, tally in run.graded().items():
            passed[key] += tally.passed
            graded[key] += tally.graded
    return {
        key: round(min(passed[key], total - passed[key]) / total, 4)
        for key, total in sorted(graded.items())
    }


def flaky_cases(current: CaseOutcomes, history: Sequence[CaseOutcomes]) -> list[FlakyCase]:
    """Cases with both outcomes among this run's attempts or the series' recent runs (`history`,
    newest first, this run not included; at most `FLAKE_WINDOW - 1` of them are read)."""
    rates = flake_rates([current, *history[: FLAKE_WINDOW - 1]])
    return [FlakyCase(case_key=key, flake_rate=rate) for key, rate in rates.items() if rate > 0]


def compare(
    baseline_run_id: str,
    current: CaseOutcomes,
    baseline: CaseOutcomes,
    history: Sequence[CaseOutcomes] = (),
) -> Comparison:
    """Each run's cases judged by its own `min_passes` (k of n), then compared."""
    now = current.results()
    before = baseline.results()
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
