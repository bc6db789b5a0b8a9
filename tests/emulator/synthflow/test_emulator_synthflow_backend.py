"""The Synthflow backend alone, on a manual clock: no server, no HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from starlette.exceptions import HTTPException
from support.emulator import ManualClock

from agentsim_local.emulator.errors import EmulatorError, InvalidRequest, NotFound
from agentsim_local.emulator.state import Store
from agentsim_local.emulator.synthflow import SynthflowBackend
from agentsim_local.emulator.synthflow.schemas import (
    CaseUpdateIn,
    Period,
    SimulationCreateIn,
    SuiteIn,
)

SUITE = UUID("0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01")
AGENT = "1726005822670-239735712159542050"
BOOK = UUID("9ad09ad3-9c22-441e-ae35-c05016a09786")
DROPPED = UUID("c1a3e2f4-1111-4a4a-8b8b-0c0c0c0c0c01")
UNKNOWN = UUID("00000000-0000-4000-8000-000000000000")


def _body(case_id: UUID) -> SimulationCreateIn:
    return SimulationCreateIn(simulation_case_id=case_id, target_agent_id=AGENT)


@pytest.fixture
def backend(store: Store) -> SynthflowBackend:
    return SynthflowBackend(store)


def test_starting_an_unknown_case_raises_not_found(backend: SynthflowBackend) -> None:
    with pytest.raises(NotFound, match="Simulation case"):
        backend.start(_body(UNKNOWN))


def test_an_unknown_case_raises_not_found_not_an_http_error(backend: SynthflowBackend) -> None:
    with pytest.raises(NotFound) as missing:
        backend.case(UNKNOWN)

    assert isinstance(missing.value, EmulatorError)
    assert not isinstance(missing.value, HTTPException)
    assert missing.value.message == f"Simulation case {UNKNOWN} not found"


def test_reset_seeds_the_fixture_suite_and_its_cases_again(backend: SynthflowBackend) -> None:
    backend.delete_case(BOOK)

    backend.store.reset()

    assert [c.name for c in backend.suite_cases(backend.suite(SUITE))] == [
        "Book an appointment",
        "Angry caller [emulator:fail]",
        "Dropped line [emulator:error]",
    ]


def test_executing_for_another_agent_is_an_invalid_request(backend: SynthflowBackend) -> None:
    with pytest.raises(InvalidRequest, match="the suite's model_id"):
        backend.execute(SUITE, "other")


def test_executing_an_empty_suite_is_an_invalid_request(backend: SynthflowBackend) -> None:
    suite = backend.create_suite(SuiteIn(name="Empty", model_id="agent-9"))

    with pytest.raises(InvalidRequest, match="no simulation cases"):
        backend.execute(suite.id, "agent-9")


def test_an_executed_suite_starts_its_cases_in_one_session(backend: SynthflowBackend) -> None:
    execution = backend.execute(SUITE, AGENT)

    session = backend.session(execution.session_id)

    assert len(backend.session_simulations(session)) == len(execution.cases) == 3


def test_an_error_directive_fails_once_its_call_ends(
    backend: SynthflowBackend, clock: ManualClock
) -> None:
    sim = backend.start(_body(DROPPED))
    seen = []
    for _ in range(7):
        seen.append(sim.status(clock.now))
        clock.advance(1)

    assert seen == ["in-progress"] * 5 + ["failed"] * 2


def test_simulations_filter_by_status_and_period(
    backend: SynthflowBackend, clock: ManualClock
) -> None:
    early = backend.start(_body(BOOK))
    clock.advance(10)
    late = backend.start(_body(BOOK))
    since = datetime.fromtimestamp(clock.now - 1, UTC)

    completed = backend.list_simulations(None, "completed", None, Period())
    recent = backend.list_simulations(None, None, None, Period(start=since))

    assert completed == [early]
    assert recent == [late]


def test_updating_a_case_stamps_it(backend: SynthflowBackend, clock: ManualClock) -> None:
    clock.advance(5)

    case = backend.update_case(BOOK, CaseUpdateIn(name="Renamed"))

    assert case.name == "Renamed" and case.updated_at == clock.now > case.created_at


def test_a_case_in_an_unknown_suite_is_not_found(backend: SynthflowBackend) -> None:
    with pytest.raises(NotFound, match="Simulation suite"):
        backend.update_case(BOOK, CaseUpdateIn(suite_id=UNKNOWN))
