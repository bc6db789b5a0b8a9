"""The gate turns graded cases (and the comparison with the baseline) into a verdict: absolute
rules FAILED, baseline rules REGRESSED, else PASSED; NONE only without a gate and nothing graded."""

from __future__ import annotations

import pytest

from agentsim.providers.base import SimulationResults
from agentsim.runs.comparison import Comparison, FlakyCase
from agentsim.runs.gate import Gate, judge, summarize
from agentsim.runs.record import Verdict


def cases(passed: int, failed: int) -> dict[str, bool]:
    return {**{f"p{i}": True for i in range(passed)}, **{f"f{i}": False for i in range(failed)}}


def comparison(**fields: object) -> Comparison:
    return Comparison.model_validate({"baseline_run_id": "base", **fields})


def test_without_a_gate_every_graded_case_must_pass() -> None:
    assert judge(cases(3, 0), None).verdict is Verdict.PASSED
    assert judge(cases(3, 1), None).verdict is Verdict.FAILED


def test_without_a_gate_a_run_that_graded_nothing_has_no_verdict() -> None:
    assert judge({}, None).verdict is Verdict.NONE


def test_a_gate_fails_a_run_that_graded_nothing_and_says_so() -> None:
    judged = judge({}, Gate(min_pass_rate=0.5))

    assert judged.verdict is Verdict.FAILED
    assert judged.reasons == ["0 graded cases, the gate needs at least 1"]


def test_min_graded_sets_how_many_graded_cases_a_gate_needs() -> None:
    assert judge(cases(2, 0), Gate(min_graded=3)).verdict is Verdict.FAILED
    assert judge(cases(3, 0), Gate(min_graded=3)).verdict is Verdict.PASSED


def test_pass_rate_equal_to_the_minimum_passes() -> None:
    assert judge(cases(9, 1), Gate(min_pass_rate=0.9)).verdict is Verdict.PASSED


def test_pass_rate_below_the_minimum_fails_with_the_rate_named() -> None:
    judged = judge(cases(8, 2), Gate(min_pass_rate=0.9))

    assert judged.verdict is Verdict.FAILED
    assert judged.reasons == ["pass rate 8/10 is below min_pass_rate 0.9"]


def test_zero_minimum_passes_even_when_everything_failed() -> None:
    assert judge(cases(0, 4), Gate(min_pass_rate=0)).verdict is Verdict.PASSED


def test_a_drop_beyond_max_pass_rate_drop_regresses() -> None:
    dropped = comparison(pass_rate=0.6, baseline_pass_rate=0.8)

    assert judge(cases(6, 4), Gate(max_pass_rate_drop=0.1), dropped).verdict is Verdict.REGRESSED
    assert judge(cases(6, 4), Gate(max_pass_rate_drop=0.2), dropped).verdict is Verdict.PASSED


def test_a_newly_failing_case_regresses_with_fail_on_new_failures() -> None:
    flipped = comparison(newly_failing=["Book a table"])

    judged = judge({"Book a table": False}, Gate(fail_on_new_failures=True), flipped)

    assert judged.verdict is Verdict.REGRESSED
    assert judged.reasons == ["newly failing since base: Book a table"]


def test_an_absolute_rule_wins_over_a_baseline_rule() -> None:
    flipped = comparison(newly_failing=["a"])
    gate = Gate(min_pass_rate=1, fail_on_new_failures=True)

    assert judge({"a": False}, gate, flipped).verdict is Verdict.FAILED


def test_without_a_baseline_the_baseline_rules_hold() -> None:
    gate = Gate(fail_on_new_failures=True, max_pass_rate_drop=0)

    assert judge(cases(1, 1), gate, None).verdict is Verdict.PASSED


def test_ignore_flaky_leaves_flaky_cases_out_of_the_rate_and_the_new_failures() -> None:
    flaky = comparison(newly_failing=["flaky"], flaky=[FlakyCase(case_key="flaky", flake_rate=0.5)])
    gate = Gate(min_pass_rate=1, fail_on_new_failures=True, ignore_flaky=True)

    assert judge({"flaky": False, "steady": True}, gate, flaky).verdict is Verdict.PASSED
    strict = gate.model_copy(update={"ignore_flaky": False})
    assert judge({"flaky": False, "steady": True}, strict, flaky).verdict is Verdict.FAILED


def test_summary_carries_counts_and_the_graded_pass_rate() -> None:
    summary = summarize(SimulationResults(total=5, passed=3, failed=1, has_verdicts=True))

    assert (summary.total, summary.passed, summary.failed) == (5, 3, 1)
    assert summary.pass_rate == pytest.approx(0.75)


def test_summary_has_no_pass_rate_without_verdicts() -> None:
    results = SimulationResults(total=3, passed=0, failed=0, has_verdicts=False)

    assert summarize(results).pass_rate is None


@pytest.mark.parametrize(
    "fields", [{"min_pass_rate": -0.1}, {"min_pass_rate": 1.01}, {"max_pass_rate_drop": 2}]
)
def test_gate_rates_outside_zero_to_one_are_refused(fields: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(fields))):
        Gate.model_validate(fields)
