"""What a suite's end means for `local run`, `start --wait` and `status --wait`: the exit
status and the line why (`suite_wait.judge_suite`)."""

from __future__ import annotations

from typing import Any

import pytest

from agentsim_local.outcome import Exit
from agentsim_local.suite_wait import judge_suite


def suite(status: str, verdict: str, **fields: Any) -> dict[str, Any]:
    return {"suite_id": "s-1", "status": status, "verdict": verdict, "runs": [{}, {}], **fields}


@pytest.mark.parametrize("verdict", ["PASSED", "NONE"])
def test_a_completed_suite_passed_or_ungraded_exits_passed(verdict: str) -> None:
    assert judge_suite(suite("COMPLETED", verdict)).exit is Exit.PASSED


@pytest.mark.parametrize("verdict", ["FAILED", "REGRESSED"])
def test_a_completed_suite_failed_or_regressed_exits_failed(verdict: str) -> None:
    assert judge_suite(suite("COMPLETED", verdict)).exit is Exit.FAILED


def test_a_regressed_suite_says_which_run_regressed() -> None:
    reasons = ["run r-2 (team/bluejay) regressed: newly failing Confused caller"]

    outcome = judge_suite(suite("COMPLETED", "REGRESSED", verdict_reasons=reasons))

    assert outcome.reason == "REGRESSED: " + reasons[0]


def test_a_suite_whose_workflow_failed_did_not_complete() -> None:
    outcome = judge_suite(suite("FAILED", "NONE", error={"message": "States.Timeout"}))

    assert outcome.exit is Exit.UNFINISHED
    assert "States.Timeout" in outcome.reason


def test_a_suite_still_running_when_the_wait_ends_did_not_complete() -> None:
    outcome = judge_suite(suite("RUNNING", "NONE"), unfinished="not finished within --timeout 5s")

    assert outcome.exit is Exit.UNFINISHED
    assert outcome.reason == "not finished within --timeout 5s"
