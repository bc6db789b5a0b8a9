"""How Bluejay's run and result statuses become poll statuses, progress, verdicts and totals."""

from __future__ import annotations

from typing import Any

import pytest
from support.bluejay_fake import evaluation, result, run_results

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.bluejay import RunResults, SimulationResult
from agentsim.providers.bluejay.mapping import case_result, poll_status, totals, verdict
from agentsim.providers.bluejay.statuses import ResultState, is_endable, result_state

DONE = result(1, "COMPLETED", evaluation(True))


def poll(status: str | None, *results: dict[str, Any], **run: Any) -> tuple[str, int]:
    answer = poll_status(RunResults.model_validate(run_results(status, *results, **run)))
    return answer.status, answer.progress


# Result statuses -----------------------------------------------------------------------------


IN_FLIGHT = ["INITIALIZING", "QUEUED", "READY", "DISPATCHED", "RUNNING", "CONVERSATION_ENDED"]


@pytest.mark.parametrize("status", [*IN_FLIGHT, "EVALUATING", None])
def test_in_flight_result_statuses_are_not_terminal(status: str | None) -> None:
    assert result_state(status) is ResultState.PENDING


@pytest.mark.parametrize(
    "status",
    ["INCOMPLETED", "REJECTED", "INSUFFICIENT_FUNDS", "NO_ANSWER", "NO_CONNECTION", "CALL_DROPPED"],
)
def test_documented_failure_statuses_are_terminal_failures(status: str) -> None:
    assert result_state(status) is ResultState.FAILED


def test_an_unknown_result_status_is_a_terminal_failure() -> None:
    assert result_state("VOICEMAIL") is ResultState.FAILED


def test_status_words_are_compared_case_insensitively() -> None:
    assert result_state(" completed ") is ResultState.SUCCEEDED


def test_only_conversations_not_yet_ended_are_endable() -> None:
    endable = [
        s for s in ["QUEUED", "RUNNING", "EVALUATING", "COMPLETED", "NO_ANSWER"] if is_endable(s)
    ]
    assert endable == ["QUEUED", "RUNNING"]


# Poll status ---------------------------------------------------------------------------------


def test_an_initializing_run_is_pending() -> None:
    assert poll("INITIALIZING") == (SimulationStatus.PENDING, 0)


def test_a_running_run_is_running_with_progress_from_terminal_results() -> None:
    assert poll(
        "RUNNING", DONE, result(2, "RUNNING"), result(3, "QUEUED"), result(4, "NO_ANSWER")
    ) == (
        SimulationStatus.RUNNING,
        50,
    )


def test_a_completed_run_with_all_results_terminal_is_completed() -> None:
    assert poll("COMPLETED", DONE, result(2, "INCOMPLETED")) == (SimulationStatus.COMPLETED, 100)


def test_a_completed_run_whose_results_are_still_evaluating_stays_running() -> None:
    assert poll("COMPLETED", DONE, result(2, "EVALUATING")) == (SimulationStatus.RUNNING, 50)


@pytest.mark.parametrize("status", ["INCOMPLETED", "INSUFFICIENT_FUNDS"])
def test_openapi_failure_run_statuses_fail_the_run(status: str) -> None:
    answer = poll_status(RunResults.model_validate(run_results(status, summary="no credit")))
    assert (answer.status, answer.provider_status, answer.message) == (
        SimulationStatus.FAILED,
        status,
        "no credit",
    )


def test_an_unknown_run_word_completes_once_every_result_is_terminal() -> None:
    assert poll("FINISHED", DONE, result(2, "REJECTED")) == (SimulationStatus.COMPLETED, 100)


def test_an_unknown_run_word_with_an_unfinished_result_is_running() -> None:
    assert poll("FINISHED", DONE, result(2, "RUNNING")) == (SimulationStatus.RUNNING, 50)


def test_an_unknown_run_word_without_results_is_running() -> None:
    assert poll("QUEUED") == (SimulationStatus.RUNNING, 0)


def test_an_unknown_run_word_is_reported_in_the_message() -> None:
    answer = poll_status(RunResults.model_validate(run_results("FINISHED", DONE)))
    assert answer.message is not None
    assert "FINISHED" in answer.message


def test_a_missing_run_status_is_judged_by_the_results() -> None:
    assert poll(None, DONE) == (SimulationStatus.COMPLETED, 100)


def test_without_result_records_progress_comes_from_the_run_counters() -> None:
    assert poll("RUNNING", total_tests=4, tests_completed=1) == (SimulationStatus.RUNNING, 25)


# Verdicts ------------------------------------------------------------------------------------


def judge(status: str | None, *evaluations: dict[str, Any]) -> CaseVerdict:
    return verdict(SimulationResult.model_validate(result(1, status, *evaluations)))


def test_a_completed_result_whose_goals_all_succeeded_passes() -> None:
    assert judge("COMPLETED", evaluation(True), evaluation(True)) is CaseVerdict.PASSED


def test_a_completed_result_with_one_failed_goal_fails() -> None:
    assert judge("COMPLETED", evaluation(True), evaluation(False)) is CaseVerdict.FAILED


def test_a_null_goal_gives_no_verdict() -> None:
    assert judge("COMPLETED", evaluation(None)) is CaseVerdict.NONE


def test_a_null_goal_beside_a_successful_one_does_not_block_the_pass() -> None:
    assert judge("COMPLETED", evaluation(None), evaluation(True)) is CaseVerdict.PASSED


def test_a_completed_result_without_evaluations_has_no_verdict() -> None:
    assert judge("COMPLETED") is CaseVerdict.NONE


@pytest.mark.parametrize("status", ["INCOMPLETED", "REJECTED", "NO_ANSWER", "VOICEMAIL"])
def test_a_terminal_failure_fails_whatever_the_evaluations_say(status: str) -> None:
    assert judge(status, evaluation(True)) is CaseVerdict.FAILED


def test_a_result_still_running_has_no_verdict_yet() -> None:
    assert judge("EVALUATING", evaluation(True)) is CaseVerdict.NONE


def test_a_human_override_decides_the_verdict() -> None:
    ev = evaluation(True, human_goal_success=False)
    assert judge("COMPLETED", ev) is CaseVerdict.FAILED


# Case records and totals ---------------------------------------------------------------------


def test_a_case_carries_urls_reasoning_duration_in_seconds_and_the_raw_record() -> None:
    raw = result(1001, "COMPLETED", evaluation(False, "never confirmed the slot"))
    case = case_result(SimulationResult.model_validate(raw), {"41": "Polite caller"})
    assert case.case_id == "1001"
    assert case.name == "Polite caller"
    assert case.verdict is CaseVerdict.FAILED
    assert case.status == "COMPLETED"
    assert case.reasoning == "never confirmed the slot"
    assert case.transcript_url == "https://cdn.example/transcripts/1001.json"
    assert case.recording_url == "https://cdn.example/audio/1001.wav"
    assert case.duration_seconds == 61.5
    assert case.raw["evaluations"][0]["goal_success"] is False


def test_an_unknown_status_is_explained_in_the_reasoning() -> None:
    case = case_result(SimulationResult.model_validate(result(1, "VOICEMAIL")), {})
    assert case.reasoning is not None
    assert "VOICEMAIL" in case.reasoning


def test_a_case_without_duration_has_none() -> None:
    case = case_result(SimulationResult.model_validate(result(1, "QUEUED", duration=None)), {})
    assert case.duration_seconds is None


def test_totals_come_from_bluejays_counters_when_present() -> None:
    answer = RunResults.model_validate(
        run_results("COMPLETED", DONE, total_tests=5, tests_passed=3, tests_failed=2)
    )
    cases = [case_result(r, {}) for r in answer.simulation_results]
    assert totals(answer, cases) == (5, 3, 2)


def test_totals_are_counted_from_the_cases_without_counters() -> None:
    answer = RunResults.model_validate(
        run_results(
            "COMPLETED",
            DONE,
            result(2, "COMPLETED", evaluation(False)),
            result(3, "NO_ANSWER"),
            result(4, "COMPLETED"),
        )
    )
    cases = [case_result(r, {}) for r in answer.simulation_results]
    assert totals(answer, cases) == (4, 1, 2)


def test_incomplete_conversations_count_as_failed_in_the_totals() -> None:
    answer = RunResults.model_validate(
        run_results("COMPLETED", total_tests=4, tests_passed=2, tests_failed=1, tests_incompleted=1)
    )
    assert totals(answer, []) == (4, 2, 2)


def test_failed_never_exceeds_what_did_not_pass() -> None:
    # Given counters where tests_failed may already include the incomplete one
    answer = RunResults.model_validate(
        run_results("COMPLETED", total_tests=3, tests_passed=1, tests_failed=2, tests_incompleted=1)
    )
    assert totals(answer, []) == (3, 1, 2)
