"""A run compared with its baseline: flips, missing and new cases, repeats k of n, flake rates."""

from __future__ import annotations

from agentsim.runs.comparison import compare, flaky_cases
from agentsim.runs.outcomes import CaseOutcomes


def run(min_passes: int = 1, **passed: bool | list[bool]) -> CaseOutcomes:
    attempts: list[tuple[str, bool | None]] = []
    for key, result in passed.items():
        for one in result if isinstance(result, list) else [result]:
            attempts.append((key, one))
    return CaseOutcomes.of(attempts, min_passes)


def test_a_case_that_passed_in_the_baseline_and_fails_now_is_newly_failing() -> None:
    found = compare("base", run(a=False, b=True), run(a=True, b=True))

    assert (found.newly_failing, found.newly_passing) == (["a"], [])


def test_a_case_that_failed_in_the_baseline_and_passes_now_is_newly_passing() -> None:
    found = compare("base", run(a=True), run(a=False))

    assert (found.newly_failing, found.newly_passing) == ([], ["a"])


def test_cases_only_in_the_baseline_are_missing_and_only_now_are_new() -> None:
    found = compare("base", run(a=True, c=True), run(a=True, b=True))

    assert (found.missing, found.new) == (["b"], ["c"])


def test_pass_rates_and_their_delta_count_cases_not_attempts() -> None:
    found = compare("base", run(a=True, b=False), run(a=True, b=True))

    assert (found.pass_rate, found.baseline_pass_rate, found.pass_rate_delta) == (0.5, 1.0, -0.5)


def test_a_repeated_case_passes_when_k_of_its_n_attempts_pass() -> None:
    attempts = run(2, a=[True, False, True], b=[True, False, False])

    assert attempts.results() == {"a": True, "b": False}


def test_each_run_is_judged_k_of_n_by_its_own_min_passes() -> None:
    found = compare("base", run(3, a=[True, True, False]), run(1, a=[True, False, False]))

    assert (found.newly_failing, found.pass_rate, found.baseline_pass_rate) == (["a"], 0.0, 1.0)


def test_a_case_with_both_outcomes_among_its_attempts_is_flaky() -> None:
    (flaky,) = flaky_cases(run(a=[True, False, True, True]), [])

    assert (flaky.case_key, flaky.flake_rate) == ("a", 0.25)


def test_a_case_that_flipped_across_the_series_history_is_flaky() -> None:
    history = [run(a=True), run(a=False), run(a=True)]

    (flaky,) = flaky_cases(run(a=True, b=True), history)

    assert (flaky.case_key, flaky.flake_rate) == ("a", 0.25)


def test_the_flake_window_reads_the_latest_ten_runs_only() -> None:
    old_failure = [run(a=True)] * 9 + [run(a=False)]

    assert flaky_cases(run(a=True), old_failure) == []


def test_a_steady_case_is_not_flaky() -> None:
    assert flaky_cases(run(a=True, b=False), [run(a=True, b=False)]) == []
