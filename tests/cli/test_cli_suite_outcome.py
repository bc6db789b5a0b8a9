"""What a suite's end means for `local run`, `start --wait` and `status --wait`: the exit
status and the line why (`suite_wait.judge_suite`)."""

from __future__ import annotations

from typing import Any

import pytest

from agentsim_local.outcome import Exit
from agentsim_local.suite_wait import judge_suite


def suite(status: str, verdict: str, **fields: Any) -> dict[str, Any]:
    return {"suite_id": "s-1", "status": status, "verdict": verdict, "runs": [{}, {}], **fields}


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        ("PASSED", Exit.PASSED),
        ("NONE", Exit.PASSED),
        ("FAILED", Exit.FAILED),
        ("REGRESSED", Exit.FAILED),
    ],
)
def test_a_completed_suite_exits_by_its_verdict(verdict: str, expected: Exit) -> None:
    assert judge_suite(suite("COMPLETED", verdict)).exit is expected


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
