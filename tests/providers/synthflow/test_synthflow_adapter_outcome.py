"""SynthflowProvider poll / results / stop / pacing: statuses and verdicts kept apart."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
import pytest
from support.synthflow_fake import (
    AGENT_ID,
    CASE_ID,
    FAIL_CASE_ID,
    SESSION_ID,
    SIMULATION_ID,
    SUITE_ID,
    FakeSynthflow,
    failed_simulation,
    listing,
    make_provider,
    ok,
    session,
    simulation,
)

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.errors import ProviderRejected
from agentsim.providers.synthflow import (
    RunOptions,
    SimulationSpec,
    SynthflowCase,
    SynthflowSession,
    SynthflowSimulation,
)

SIM_PATH = f"simulations/{SIMULATION_ID}"
SESSION_PATH = f"simulations/session/{SESSION_ID}"
SIM_RUN = SynthflowSimulation(
    simulation_id=SIMULATION_ID,
    run_id=SESSION_ID,
    simulation_case_id=CASE_ID,
    target_agent_id=AGENT_ID,
)
SESSION_RUN = SynthflowSession(
    simulation_id=SESSION_ID, run_id=SESSION_ID, suite_id=SUITE_ID, total_cases=3
)


def poll_simulation_body(body: Mapping[str, object]) -> tuple[SimulationStatus, int, str | None]:
    fake = FakeSynthflow().on("GET", SIM_PATH, ok(body))
    result = make_provider(fake).poll(SIM_RUN)
    return result.status, result.progress, result.message


def poll_session_body(
    body: Mapping[str, object], run: SynthflowSession = SESSION_RUN
) -> tuple[SimulationStatus, int]:
    fake = FakeSynthflow().on("GET", SESSION_PATH, ok(body))
    result = make_provider(fake).poll(run)
    return result.status, result.progress


# poll: one simulation --------------------------------------------------------------------------


def test_an_in_progress_simulation_is_running() -> None:
    status, progress, _ = poll_simulation_body(simulation(status="in-progress", success=None))
    assert (status, progress) == (SimulationStatus.RUNNING, 50)


def test_a_pending_simulation_has_not_started() -> None:
    status, progress, _ = poll_simulation_body(simulation(status="pending", success=None))
    assert (status, progress) == (SimulationStatus.PENDING, 0)


def test_an_unknown_status_word_keeps_polling() -> None:
    status, _, _ = poll_simulation_body(simulation(status="analyzing", success=None))
    assert status is SimulationStatus.RUNNING


def test_a_completed_simulation_is_completed() -> None:
    status, progress, message = poll_simulation_body(simulation(success=False))
    assert (status, progress, message) == (SimulationStatus.COMPLETED, 100, None)


def test_a_failed_simulation_fails_with_the_error_info_message() -> None:
    status, progress, message = poll_simulation_body(failed_simulation())
    assert (status, progress, message) == (SimulationStatus.FAILED, 100, "Persona call dropped")


def test_the_provider_status_word_is_reported() -> None:
    fake = FakeSynthflow().on("GET", SIM_PATH, ok(simulation(status="in-progress")))
    assert make_provider(fake).poll(SIM_RUN).provider_status == "in-progress"


def test_polls_are_retried_through_a_5xx() -> None:
    fake = FakeSynthflow().on("GET", SIM_PATH, httpx.Response(503), ok(simulation()))
    assert make_provider(fake).poll(SIM_RUN).status is SimulationStatus.COMPLETED


def test_an_unlaunched_handle_cannot_be_polled() -> None:
    prepared = SynthflowCase(simulation_id=CASE_ID, target_agent_id=AGENT_ID)
    with pytest.raises(ProviderRejected, match="never launched"):
        make_provider(FakeSynthflow()).poll(prepared)


# poll: a session -------------------------------------------------------------------------------


def test_a_session_with_every_simulation_ended_is_completed_despite_failures() -> None:
    body = session([simulation("a"), simulation("b", success=False), failed_simulation("c")])
    assert poll_session_body(body) == (SimulationStatus.COMPLETED, 100)


def test_a_session_reports_progress_as_the_ended_share() -> None:
    body = session(
        [
            simulation("a"),
            simulation("b", status="in-progress", success=None),
            simulation("c", status="in-progress", success=None),
        ]
    )
    assert poll_session_body(body) == (SimulationStatus.RUNNING, 33)


def test_a_session_with_nothing_started_is_pending() -> None:
    body = session([], total=3, completed=0, failed=0, pending=3)
    assert poll_session_body(body) == (SimulationStatus.PENDING, 0)


def test_an_empty_session_is_never_done() -> None:
    body = session([], total=0, completed=0, failed=0, pending=0)
    run = SynthflowSession(simulation_id=SESSION_ID, run_id=SESSION_ID)
    assert poll_session_body(body, run)[0] is SimulationStatus.PENDING


def test_a_session_still_filling_up_is_not_done() -> None:
    # Given execute announced 3 cases but only 1 simulation exists so far
    body = session([simulation("a")], total=1, completed=1, failed=0, pending=0)
    assert poll_session_body(body) == (SimulationStatus.RUNNING, 33)


def test_session_counts_fall_back_to_the_simulations() -> None:
    body = {"simulations": [simulation("a"), failed_simulation("b"), simulation("c")]}
    assert poll_session_body(body) == (SimulationStatus.COMPLETED, 100)


def test_a_session_done_by_pending_zero_is_completed() -> None:
    body = session(
        [simulation("a"), simulation("b"), simulation("c")],
        completed=2,
        failed=0,
        pending=0,
    )
    assert poll_session_body(body)[0] is SimulationStatus.COMPLETED


# results ---------------------------------------------------------------------------------------


def test_a_passed_simulation_becomes_one_passed_case() -> None:
    fake = FakeSynthflow().on("GET", SIM_PATH, ok(simulation()))

    results = make_provider(fake).results(SIM_RUN)

    assert (results.total, results.passed, results.failed) == (1, 1, 0)
    assert results.has_verdicts
    case = results.cases[0]
    assert case.case_id == SIMULATION_ID
    assert case.name == "Book an appointment"
    assert case.verdict is CaseVerdict.PASSED
    assert case.recording_url == "https://recordings.example/abc.mp3"
    assert case.reasoning == (
        "PASS Agent offers a slot: A Tuesday slot was offered.\n"
        "PASS Agent confirms the booking: The booking was confirmed."
    )
    assert case.transcript is not None
    assert case.transcript[0] == {
        "sender_type": "agent",
        "value": "Hello, how can I help?",
        "type": "message",
        "timestamp_datetime": "2025-11-21T10:00:06Z",
        "timestamp": "1.5",
    }
    assert case.duration_seconds == pytest.approx(2.75)
    assert case.raw["simulation_case_id"] == CASE_ID


def test_a_completed_simulation_that_missed_its_criteria_fails() -> None:
    fake = FakeSynthflow().on("GET", SIM_PATH, ok(simulation(success=False)))
    case = make_provider(fake).results(SIM_RUN).cases[0]
    assert case.verdict is CaseVerdict.FAILED
    assert case.reasoning is not None
    assert "FAIL Agent confirms the booking" in case.reasoning


def test_a_failed_simulation_fails_with_its_error_as_reasoning() -> None:
    fake = FakeSynthflow().on("GET", SIM_PATH, ok(failed_simulation()))

    results = make_provider(fake).results(SIM_RUN)

    assert (results.passed, results.failed) == (0, 1)
    assert results.cases[0].verdict is CaseVerdict.FAILED
    assert results.cases[0].reasoning == "Persona call dropped"
    assert results.summary == "0 of 1 passed; 1 failed to run"


def test_a_simulation_without_analysis_has_no_verdict() -> None:
    fake = FakeSynthflow().on("GET", SIM_PATH, ok(simulation(success=None)))
    case = make_provider(fake).results(SIM_RUN).cases[0]
    assert case.verdict is CaseVerdict.NONE


@pytest.mark.parametrize(
    ("call_success_type", "verdict"), [("all", CaseVerdict.FAILED), ("any", CaseVerdict.PASSED)]
)
def test_without_an_overall_success_the_evaluations_decide(
    call_success_type: str, verdict: CaseVerdict
) -> None:
    analysis = {
        "success": None,
        "evaluations": [{"success": True, "reasoning": "a"}, {"success": False, "reasoning": "b"}],
    }
    body = simulation(success_criteria_analysis=analysis, call_success_type=call_success_type)
    fake = FakeSynthflow().on("GET", SIM_PATH, ok(body))
    assert make_provider(fake).results(SIM_RUN).cases[0].verdict is verdict


def test_a_session_gives_mixed_verdicts_per_case() -> None:
    body = session(
        [
            simulation("a"),
            simulation("b", case_id=FAIL_CASE_ID, success=False),
            failed_simulation("c"),
        ]
    )
    fake = FakeSynthflow().on("GET", SESSION_PATH, ok(body))

    results = make_provider(fake).results(SESSION_RUN)

    assert (results.total, results.passed, results.failed) == (3, 1, 2)
    assert [c.verdict for c in results.cases] == [
        CaseVerdict.PASSED,
        CaseVerdict.FAILED,
        CaseVerdict.FAILED,
    ]
    assert results.raw["total_simulations"] == 3
    assert "simulations" not in results.raw


def test_session_results_list_the_simulations_when_the_session_omits_them() -> None:
    body = session([], total=2, completed=2, failed=0, pending=0)
    fake = (
        FakeSynthflow()
        .on("GET", SESSION_PATH, ok(body))
        .on("GET", "simulations", listing([simulation("a"), simulation("b", success=False)]))
    )

    results = make_provider(fake).results(SESSION_RUN)

    assert (results.total, results.passed, results.failed) == (2, 1, 1)
    assert fake.calls("GET", "simulations")[0].url.params["simulation_session_id"] == SESSION_ID


# stop and pacing -------------------------------------------------------------------------------


def test_stop_is_refused_because_synthflow_has_no_stop_endpoint() -> None:
    fake = FakeSynthflow()
    with pytest.raises(ProviderRejected, match="no stop endpoint"):
        make_provider(fake).stop(SIM_RUN)
    assert fake.requests == []


def test_a_case_is_expected_to_take_three_minutes() -> None:
    spec = SimulationSpec(simulation_case_id=CASE_ID, target_agent_id=AGENT_ID)
    assert make_provider(FakeSynthflow()).expected_duration_seconds(spec, RunOptions()) == 180


def test_a_suite_is_expected_to_take_ten_seconds_per_turn() -> None:
    spec = SimulationSpec(suite_id=SUITE_ID, target_agent_id=AGENT_ID, max_turns=30)
    assert make_provider(FakeSynthflow()).expected_duration_seconds(spec, None) == 300
