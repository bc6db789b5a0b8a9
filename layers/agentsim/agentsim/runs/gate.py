"""The quality gate: turn a run's results into a verdict.

The pass rate counts graded cases only (passed / (passed + failed)); cases the provider did not
grade neither help nor hurt. Without a gate every graded case must pass. A run with no graded
case at all has no verdict (NONE): an OmniDimension run, for instance, grades nothing.
"""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from agentsim.providers.base import SimulationResults
from agentsim.providers.storable import StorableFloat
from agentsim.runs.record import ResultsSummary, Verdict


class Gate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_pass_rate: StorableFloat = Field(
        ge=0, le=1, description="Share of graded cases that must pass, 0..1."
    )


def summarize(results: SimulationResults) -> ResultsSummary:
    graded = results.passed + results.failed
    rate = results.passed / graded if results.has_verdicts and graded else None
    return ResultsSummary(
        total=results.total, passed=results.passed, failed=results.failed, pass_rate=rate
    )


def evaluate(results: SimulationResults, gate: Gate | None) -> Verdict:
    graded = results.passed + results.failed
    if not results.has_verdicts or graded == 0:
        return Verdict.NONE
    threshold = Fraction(str(gate.min_pass_rate)) if gate is not None else Fraction(1)
    return Verdict.PASSED if Fraction(results.passed, graded) >= threshold else Verdict.FAILED
