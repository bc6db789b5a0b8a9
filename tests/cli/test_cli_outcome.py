"""How a run's end becomes an exit status: 0 passed, 1 failed, 3 not completed; nothing
unknown passes."""

from __future__ import annotations

import pytest
from support.ci_records import record

from agentsim_local.outcome import Exit, judge


def test_a_completed_run_that_passed_its_gate_exits_0() -> None:
    outcome = judge(record(verdict="PASSED"))

    assert outcome.exit is Exit.PASSED


def test_an_ungraded_run_without_a_gate_exits_0() -> None:
    outcome = judge(record(verdict="NONE", results=None, request={"provider": "omnidimension"}))

    assert outcome.exit is Exit.PASSED


def test_an_ungraded_run_under_a_gate_exits_1_saying_the_gate_cannot_pass() -> None:
    outcome = judge(record(verdict="NONE", results=None))

    assert outcome.exit is Exit.FAILED
    assert "min_pass_rate 0.9 cannot pass" in outcome.reason


@pytest.mark.parametrize("verdict", ["FAILED", "REGRESSED"])
def test_a_failing_verdict_exits_1(verdict: str) -> None:
    assert judge(record(verdict=verdict)).exit is Exit.FAILED


def test_a_verdict_this_cli_does_not_know_never_passes() -> None:
    assert judge(record(verdict="FLAKY")).exit is Exit.FAILED


def test_the_failure_reason_names_the_score_and_the_gate() -> None:
    outcome = judge(record())

    assert outcome.reason == ("FAILED: 2 of 3 graded cases passed (67 %), gate min_pass_rate 0.9")


@pytest.mark.parametrize("status", ["TIMED_OUT", "FAILED", "STOPPED"])
def test_a_run_that_ended_without_completing_exits_3(status: str) -> None:
    assert judge(record(status=status, verdict="NONE")).exit is Exit.UNFINISHED


def test_a_failed_run_names_its_error() -> None:
    error = {"type": "ProviderAuthError", "message": "bluejay: 401 Invalid API key"}

    outcome = judge(record(status="FAILED", verdict="NONE", error=error))

    assert outcome.reason == "the run ended FAILED: ProviderAuthError: bluejay: 401 Invalid API key"


def test_a_run_still_running_exits_3_with_the_reason_the_wait_ended() -> None:
    outcome = judge(record(status="RUNNING", verdict="NONE"), unfinished="not finished in 5s")

    assert (outcome.exit, outcome.reason) == (Exit.UNFINISHED, "not finished in 5s")
