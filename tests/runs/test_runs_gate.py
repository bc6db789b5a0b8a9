"""The gate turns results into a verdict: graded cases only, min_pass_rate inclusive."""

from __future__ import annotations

import pytest

from agentsim.providers.base import SimulationResults
from agentsim.runs.gate import Gate, evaluate, summarize
from agentsim.runs.record import Verdict


def results(
    passed: int, failed: int, total: int | None = None, graded: bool = True
) -> SimulationResults:
    return SimulationResults(
        total=passed + failed if total is None else total,
        passed=passed,
        failed=failed,
        has_verdicts=graded,
    )


def test_without_a_gate_every_graded_case_must_pass() -> None:
    assert evaluate(results(3, 0), None) is Verdict.PASSED
    assert evaluate(results(3, 1), None) is Verdict.FAILED


def test_pass_rate_equal_to_the_minimum_passes() -> None:
    assert evaluate(results(9, 1), Gate(min_pass_rate=0.9)) is Verdict.PASSED


def test_pass_rate_below_the_minimum_fails() -> None:
    assert evaluate(results(8, 2), Gate(min_pass_rate=0.9)) is Verdict.FAILED


def test_zero_minimum_passes_even_when_everything_failed() -> None:
    assert evaluate(results(0, 4), Gate(min_pass_rate=0)) is Verdict.PASSED


def test_ungraded_cases_do_not_count_against_the_rate() -> None:
    # 2 passed, 0 failed, 3 cases the provider did not grade
    assert evaluate(results(2, 0, total=5), Gate(min_pass_rate=1)) is Verdict.PASSED


def test_provider_without_verdicts_gives_no_verdict() -> None:
    assert evaluate(results(0, 0, total=4, graded=False), Gate(min_pass_rate=0.5)) is Verdict.NONE


def test_no_graded_case_gives_no_verdict() -> None:
    assert evaluate(results(0, 0, total=0), None) is Verdict.NONE


def test_summary_carries_counts_and_the_graded_pass_rate() -> None:
    summary = summarize(results(3, 1, total=5))

    assert (summary.total, summary.passed, summary.failed) == (5, 3, 1)
    assert summary.pass_rate == pytest.approx(0.75)


def test_summary_has_no_pass_rate_without_verdicts() -> None:
    assert summarize(results(0, 0, total=3, graded=False)).pass_rate is None


@pytest.mark.parametrize("rate", [-0.1, 1.01])
def test_gate_rate_outside_zero_to_one_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="min_pass_rate"):
        Gate(min_pass_rate=rate)
