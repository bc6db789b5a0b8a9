"""Synthflow response bodies parse tolerantly: optional fields, unknown words, both pages."""

from __future__ import annotations

from datetime import UTC, datetime

from support.synthflow_fake import SEED_RESPONSE, SIMULATION_ID, session, simulation

from agentsim.providers.synthflow import responses


def test_the_seed_response_parses_to_a_simulation_id() -> None:
    parsed = responses.SimulationReadOut.model_validate(responses.unwrap(SEED_RESPONSE, "start"))

    assert parsed.simulation_id == SIMULATION_ID
    assert parsed.status is None
    assert parsed.success_criteria_analysis is None


def test_a_full_simulation_parses_every_documented_field() -> None:
    parsed = responses.SimulationReadOut.model_validate(simulation())

    assert parsed.status == "completed"
    assert parsed.created_at == datetime(2025, 11, 21, 10, 0, 5, tzinfo=UTC)
    assert parsed.success_criteria_analysis is not None
    assert parsed.success_criteria_analysis.success is True
    assert [e.reasoning for e in parsed.success_criteria_analysis.evaluations or []] == [
        "A Tuesday slot was offered.",
        "The booking was confirmed.",
    ]
    assert parsed.timeline is not None
    assert [e.seconds for e in parsed.timeline] == [1.5, 4.25]


def test_timeline_timestamps_may_arrive_as_numbers() -> None:
    body = simulation(timeline=[{"timestamp": 3.5, "value": "hi"}])
    parsed = responses.SimulationReadOut.model_validate(body)
    assert parsed.timeline is not None
    assert parsed.timeline[0].timestamp == "3.5"


def test_a_null_success_criteria_analysis_is_accepted() -> None:
    parsed = responses.SimulationReadOut.model_validate(
        simulation(status="in-progress", success=None)
    )
    assert parsed.success_criteria_analysis is None


def test_unknown_status_words_are_kept() -> None:
    parsed = responses.SimulationReadOut.model_validate(simulation(status="pending"))
    assert parsed.status == "pending"


def test_an_unparsable_timestamp_becomes_none() -> None:
    parsed = responses.SimulationReadOut.model_validate(simulation(created_at="yesterday-ish"))
    assert parsed.created_at is None


def test_numeric_ids_become_strings() -> None:
    parsed = responses.SimulationReadOut.model_validate({"simulation_id": 42, "target_agent_id": 7})
    assert (parsed.simulation_id, parsed.target_agent_id) == ("42", "7")


def test_unknown_fields_are_kept() -> None:
    parsed = responses.SimulationReadOut.model_validate(simulation(new_field="x"))
    assert parsed.model_dump()["new_field"] == "x"


def test_a_session_parses_counts_and_simulations() -> None:
    body = session([simulation(), simulation("s2", status="in-progress", success=None)])
    parsed = responses.SimulationSessionReadOut.model_validate(body)

    assert parsed.total_simulations == 2
    assert parsed.completed_simulations == 1
    assert parsed.pending_simulations == 1
    assert [s.simulation_id for s in parsed.simulations] == [SIMULATION_ID, "s2"]


def test_a_session_with_null_simulations_has_an_empty_list() -> None:
    parsed = responses.SimulationSessionReadOut.model_validate({"simulations": None})
    assert parsed.simulations == []


def test_the_pagination_envelope_parses() -> None:
    page = responses.Page[responses.SimulationReadOut].model_validate(
        {"pagination": {"total_records": 11, "limit": 10, "offset": 0}, "items": [simulation()]}
    )
    assert page.total_records == 11
    assert page.items[0].simulation_id == SIMULATION_ID


def test_the_page_number_envelope_parses() -> None:
    page = responses.Page[responses.SimulationReadOut].model_validate(
        {"items": [simulation()], "total": 3, "page_number": 1, "page_size": 10}
    )
    assert page.total_records == 3
    assert page.page_size == 10


def test_a_bare_list_parses_as_one_page() -> None:
    page = responses.Page[responses.SimulationCase].model_validate([{"simulation_case_id": "c1"}])
    assert page.items[0].simulation_case_id == "c1"
    assert page.total_records is None


def test_the_unwrapped_suite_execution_parses() -> None:
    parsed = responses.SuiteExecution.model_validate(
        {"session_id": "s1", "suite_id": "u1", "suite_name": "n", "total_cases": 3, "status": "x"}
    )
    assert (parsed.session_id, parsed.total_cases) == ("s1", 3)


def test_a_case_may_arrive_wrapped_or_with_id() -> None:
    wrapped = responses.SimulationCase.model_validate(
        {"simulation_case": {"simulation_case_id": "c1"}}
    )
    aliased = responses.SimulationCase.model_validate({"id": "c2", "name": "n"})
    assert (wrapped.simulation_case_id, aliased.simulation_case_id) == ("c1", "c2")


def test_a_suite_lists_its_cases() -> None:
    suite = responses.SimulationSuite.model_validate(
        {"id": "u1", "model_id": "a", "cases": [{"simulation_case_id": "c1"}]}
    )
    assert suite.cases is not None
    assert suite.cases[0].simulation_case_id == "c1"
