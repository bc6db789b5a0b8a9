"""Bluejay response bodies: every quirk the sources disagree on still parses."""

from __future__ import annotations

import pytest
from support.bluejay_fake import (
    QUEUE_RESPONSE,
    SEED_CREATE_RESPONSE,
    evaluation,
    result,
    run_record,
    run_results,
)

from agentsim.providers.bluejay import (
    CreatedSimulation,
    EndedConversations,
    QueuedRun,
    RunResults,
    Simulation,
    SimulationList,
    SimulationResult,
    SimulationRuns,
)


def test_the_seed_create_response_parses_with_the_int_id_held_as_text() -> None:
    created = CreatedSimulation.model_validate(SEED_CREATE_RESPONSE)
    assert (created.simulation_id, created.status) == ("123", "200")


def test_queue_ids_sent_as_strings_are_kept() -> None:
    queued = QueuedRun.model_validate(QUEUE_RESPONSE)
    assert queued.simulation_run_id == "789"
    assert queued.simulation_result_ids == ["1001", "1002", "1003"]
    assert queued.agent_id == "12"


def test_queue_ids_sent_as_ints_become_the_same_strings() -> None:
    queued = QueuedRun.model_validate({"simulation_run_id": 789, "simulation_result_ids": [1001]})
    assert (queued.simulation_run_id, queued.simulation_result_ids) == ("789", ["1001"])


def test_a_queue_answer_without_result_ids_has_an_empty_list() -> None:
    assert QueuedRun.model_validate({"simulation_run_id": "1"}).simulation_result_ids == []


def test_run_list_entries_with_int_ids_parse_as_text_ids() -> None:
    runs = SimulationRuns.model_validate({"simulation_runs": [run_record(5, "2025-11-20T10:00Z")]})
    assert runs.simulation_runs[0].id == "5"
    assert runs.simulation_runs[0].experiment_id == "123"


@pytest.mark.parametrize("body", [{}, {"simulation_runs": None}, {"simulation_runs": []}])
def test_a_missing_or_empty_run_list_is_an_empty_list(body: dict[str, object]) -> None:
    assert SimulationRuns.model_validate(body).simulation_runs == []


def test_an_unparseable_timestamp_becomes_none_rather_than_an_error() -> None:
    runs = SimulationRuns.model_validate({"simulation_runs": [run_record(5, "yesterday-ish")]})
    assert runs.simulation_runs[0].created_at is None


@pytest.mark.parametrize(
    "status",
    ["INITIALIZING", "RUNNING", "COMPLETED", "INCOMPLETED", "INSUFFICIENT_FUNDS", "PAUSED", None],
)
def test_run_statuses_of_both_enums_and_unknown_words_parse(status: str | None) -> None:
    assert RunResults.model_validate(run_results(status)).simulation_run.status == status


@pytest.mark.parametrize("results", [None, []])
def test_null_or_empty_result_lists_parse_as_empty(results: object) -> None:
    body = run_results("RUNNING")
    body["simulation_results"] = results
    assert RunResults.model_validate(body).simulation_results == []


def test_a_missing_result_list_parses_as_empty() -> None:
    body = run_results("RUNNING")
    del body["simulation_results"]
    assert RunResults.model_validate(body).simulation_results == []


def test_the_openapi_only_incompleted_counter_is_read() -> None:
    body = run_results("COMPLETED", tests_incompleted=2, total_tests=3)
    assert RunResults.model_validate(body).simulation_run.tests_incompleted == 2


@pytest.mark.parametrize(
    "latency",
    [{"avg_agent_latency": 800.0, "p90_agent_latency": 1200.0}, [810.0, 790.5], None],
)
def test_result_latency_may_be_an_object_or_an_array(latency: object) -> None:
    parsed = SimulationResult.model_validate(result(1, "COMPLETED", latency=latency))
    assert parsed.latency == latency


def test_unknown_result_status_words_parse() -> None:
    assert SimulationResult.model_validate(result(1, "VOICEMAIL")).status == "VOICEMAIL"


def test_deprecated_result_and_custom_metrics_are_still_read() -> None:
    parsed = SimulationResult.model_validate(
        result(1, "COMPLETED", result={"passed": True}, custom_metrics=[{"name": "tone"}])
    )
    assert parsed.result == {"passed": True}
    assert parsed.custom_metrics == [{"name": "tone"}]


def test_an_evaluation_with_a_null_goal_has_no_goal_verdict() -> None:
    parsed = SimulationResult.model_validate(result(1, "COMPLETED", evaluation(None)))
    assert parsed.evaluations[0].goal is None


def test_a_human_override_wins_over_the_model_goal() -> None:
    ev = evaluation(False, "missed", human_goal_success=True, human_goal_reasoning="fine by QA")
    parsed = SimulationResult.model_validate(result(1, "COMPLETED", ev))
    assert (parsed.evaluations[0].goal, parsed.evaluations[0].reasoning) == (True, "fine by QA")


def test_null_evaluations_parse_as_none_given() -> None:
    assert SimulationResult.model_validate(result(1, "RUNNING", evaluations=None)).evaluations == []


def test_unknown_fields_are_kept_in_raw() -> None:
    parsed = SimulationResult.model_validate(result(7, "COMPLETED", trace_ids=["t1"], new=1))
    raw = parsed.raw()
    assert raw["trace_ids"] == ["t1"]
    assert raw["new"] == 1
    assert raw["id"] == "7"


def test_the_simulation_record_tolerates_both_id_types_and_unknown_types() -> None:
    parsed = Simulation.model_validate({"id": "123", "agent_id": 12, "type": "swarm", "x": 1})
    assert (parsed.id, parsed.agent_id, parsed.type) == ("123", "12", "swarm")


def test_the_simulation_list_tolerates_null() -> None:
    assert SimulationList.model_validate({"simulations": None}).simulations == []


def test_end_conversations_with_null_failed_ids_has_an_empty_list() -> None:
    answer = EndedConversations.model_validate(
        {
            "success": True,
            "ended_count": 1,
            "test_result_ids": [1],
            "failed_ids": None,
            "message": "ok",
        }
    )
    assert (answer.failed_ids, answer.test_result_ids) == ([], ["1"])
