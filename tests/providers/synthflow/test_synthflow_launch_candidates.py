"""Synthflow launch candidates: a suite's session holds exactly its cases; the rest is for the
workflow's claims (scope and keys)."""

from __future__ import annotations

from typing import Any

from support.synthflow_adapter import ATTEMPTED, RUN_ID, case_fake, session_holding, suite_fake
from support.synthflow_fake import (
    AGENT_ID,
    CASE_ID,
    FAIL_CASE_ID,
    SEED_REQUEST,
    SESSION_ID,
    SUITE_ID,
    make_provider,
    session,
    simulation,
)

from agentsim.providers.synthflow import SimulationSessionReadOut, SimulationSpec, session_id_for
from agentsim.providers.synthflow.mapping import suite_sessions

AT = "2025-11-21T10:00:01Z"
SUITE = (CASE_ID, FAIL_CASE_ID)
OTHER_CASE = "11111111-1111-1111-1111-111111111111"


def held(session_id: str, *cases: str) -> dict[str, Any]:
    return session_holding(session_id, *cases, at=AT)


def matches(*sessions: dict[str, Any], cases: tuple[str, ...] | None = SUITE) -> list[Any]:
    read = [SimulationSessionReadOut.model_validate(s) for s in sessions]
    found = suite_sessions(read, cases, ATTEMPTED)
    return [(m.session_id, m.complete) for m in found]


def test_a_session_holding_exactly_the_suite_cases_is_complete() -> None:
    assert matches(held("s1", FAIL_CASE_ID, CASE_ID)) == [("s1", True)]


def test_a_session_holding_some_of_the_suite_cases_is_never_complete() -> None:
    # A single case of the suite, run on its own, looks like this (issue 8)
    assert matches(held("s1", CASE_ID), held("s2")) == [("s2", False), ("s1", False)]


def test_a_session_holding_a_case_twice_is_not_the_suite_execution() -> None:
    assert matches(held("s1", CASE_ID, CASE_ID)) == [("s1", False)]


def test_a_session_holding_another_case_is_someone_else_s() -> None:
    assert matches(held("s1", CASE_ID, FAIL_CASE_ID, OTHER_CASE), held("s2", OTHER_CASE)) == []


def test_with_the_suite_cases_unknown_no_session_is_complete() -> None:
    assert matches(held("s1", CASE_ID, FAIL_CASE_ID), cases=None) == [("s1", False)]


def test_complete_sessions_come_first_newest_first() -> None:
    early = held("early", *SUITE)
    late = session(
        [simulation(f"late-{c}", case_id=c, created_at="2025-11-21T10:00:09Z") for c in SUITE],
        session_id="late",
    )
    part = held("part", CASE_ID)
    assert matches(part, early, late) == [("late", True), ("early", True), ("part", False)]


def suite_provider(*sessions: dict[str, Any]) -> Any:
    provider = make_provider(suite_fake(*sessions))
    return provider, provider.prepare(SimulationSpec(suite_id=SUITE_ID, target_agent_id=AGENT_ID))


def test_a_suite_run_finds_no_launch_in_a_single_case_session() -> None:
    provider, prepared = suite_provider(held("one-case", CASE_ID))

    candidates = provider.launch_candidates(
        prepared, idempotency_key=RUN_ID, attempted_at=ATTEMPTED
    )

    assert [(c.key, c.settled) for c in candidates] == [("synthflow:session:one-case", False)]
    assert provider.find_launch(prepared, idempotency_key=RUN_ID, attempted_at=ATTEMPTED) is None


def test_a_suite_candidate_is_a_session_handle_under_the_session_key() -> None:
    provider, prepared = suite_provider(held(SESSION_ID, *SUITE))

    (candidate,) = provider.launch_candidates(
        prepared, idempotency_key=RUN_ID, attempted_at=ATTEMPTED
    )

    assert candidate.settled
    assert (candidate.run.kind, candidate.run.simulation_id) == ("session", SESSION_ID)
    assert candidate.key == provider.launch_key(candidate.run) == f"synthflow:session:{SESSION_ID}"
    assert candidate.run.total_cases == 2


def test_scopes_and_keys_known_ahead() -> None:
    provider, suite = suite_provider()
    cases = make_provider(case_fake())
    own = cases.prepare(SimulationSpec.model_validate(SEED_REQUEST))
    chosen = cases.prepare(
        SimulationSpec.model_validate({**SEED_REQUEST, "simulation_session_id": SESSION_ID})
    )

    # a suite: the agent's suite, keyed only once Synthflow names the session
    assert provider.launch_scope(suite, idempotency_key=RUN_ID) == (
        f"synthflow:agent:{AGENT_ID}:suite:{SUITE_ID}"
    )
    assert provider.launch_key_ahead(suite, idempotency_key=RUN_ID) is None
    # a case in the session named after the run: that session is the run's, claimed ahead
    derived = session_id_for(RUN_ID)
    assert cases.launch_scope(own, idempotency_key=RUN_ID) == f"synthflow:session:{derived}"
    assert cases.launch_key_ahead(own, idempotency_key=RUN_ID) == f"synthflow:session:{derived}"
    # a case in a session the caller chose, which other runs may share
    assert cases.launch_scope(chosen, idempotency_key=RUN_ID) == f"synthflow:session:{SESSION_ID}"
    assert cases.launch_key_ahead(chosen, idempotency_key=RUN_ID) is None
