"""The quality gate: turn a run's graded cases (and its comparison with the baseline) into a
verdict.

Absolute rules first (too few graded cases, the pass rate below `min_pass_rate`): FAILED. Then
the baseline rules (`max_pass_rate_drop`, `fail_on_new_failures`), when the run has a baseline:
REGRESSED. Else PASSED. Without a gate every graded case must pass, and a run that graded
nothing has no verdict (NONE); with a gate, grading nothing fails it (`min_graded`, 1 unless
set): nothing passes silently. The pass rate counts graded cases only; with `ignore_flaky` the
cases the comparison found flaky neither count in it nor as new failures.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from agentsim.providers.base import SimulationResults
from agentsim.providers.storable import StorableFloat
from agentsim.runs.comparison import Comparison
from agentsim.runs.record import ResultsSummary, Verdict


class Gate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_pass_rate: StorableFloat | None = Field(
        default=None, ge=0, le=1, description="Share of graded cases that must pass, 0..1."
    )
    max_pass_rate_drop: StorableFloat | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Largest allowed drop of the pass rate against the baseline, 0..1.",
    )
    fail_on_new_failures: bool = Field(
        default=False, description="A case that passed in the baseline and fails now regresses."
    )
    ignore_flaky: bool = Field(
        default=False, description="Flaky cases neither fail the gate nor count as new failures."
    )
    min_graded: int | None = Field(
        default=None, ge=0, le=100_000, description="Fewest graded cases; 1 unless set."
    )


class Judgement(BaseModel):
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list)
    """Why the gate failed or regressed the run; empty when it passed."""


def judge(
    cases: Mapping[str, bool], gate: Gate | None, comparison: Comparison | None = None
) -> Judgement:
    """The verdict of graded `cases` (case key -> passed)."""
    flaky = (
        {f.case_key for f in comparison.flaky}
        if comparison and gate and gate.ignore_flaky
        else set()
    )
    counted = {key: passed for key, passed in cases.items() if key not in flaky}
    graded, passed = len(counted), sum(counted.values())
    if gate is None:
        if graded == 0:
            return Judgement(verdict=Verdict.NONE)
        failing = sorted(k for k, ok in counted.items() if not ok)
        if failing:
            return Judgement(
                verdict=Verdict.FAILED, reasons=[f"failing cases: {', '.join(failing)}"]
            )
        return Judgement(verdict=Verdict.PASSED)
    floor = 1 if gate.min_graded is None else gate.min_graded
    if graded < floor:
        return Judgement(
            verdict=Verdict.FAILED,
            reasons=[f"{graded} graded cases, the gate needs at least {floor}"],
        )
    failed = []
    if (
        gate.min_pass_rate is not None
        and graded
        and Fraction(passed, graded) < Fraction(str(gate.min_pass_rate))
    ):
        failed.append(f"pass rate {passed}/{graded} is below min_pass_rate {gate.min_pass_rate}")
    if failed:
        return Judgement(verdict=Verdict.FAILED, reasons=failed)
    regressed = []
    if comparison is not None:
        drop = _drop(comparison)
        if (
            gate.max_pass_rate_drop is not None
            and drop is not None
            and drop > gate.max_pass_rate_drop
        ):
            regressed.append(
                f"pass rate dropped {drop:.2f} since {comparison.baseline_run_id}, "
                f"more than max_pass_rate_drop {gate.max_pass_rate_drop}"
            )
        newly = [k for k in comparison.newly_failing if k not in flaky]
        if gate.fail_on_new_failures and newly:
            regressed.append(
                f"newly failing since {comparison.baseline_run_id}: {', '.join(newly)}"
            )
    if regressed:
        return Judgement(verdict=Verdict.REGRESSED, reasons=regressed)
    return Judgement(verdict=Verdict.PASSED)


def _drop(comparison: Comparison) -> float | None:
    if comparison.pass_rate is None or comparison.baseline_pass_rate is None:
        return None
    return round(comparison.baseline_pass_rate - comparison.pass_rate, 6)


def summarize(results: SimulationResults) -> ResultsSummary:
    graded = results.passed + results.failed
    rate = results.passed / graded if results.has_verdicts and graded else None
    return ResultsSummary(
        total=results.total, passed=results.passed, failed=results.failed, pass_rate=rate
    )
