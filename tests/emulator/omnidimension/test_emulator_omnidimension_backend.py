"""The OmniDimension backend alone, on a manual clock: no server, no HTTP."""

from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException
from support.emulator import ManualClock

from agentsim_local.emulator.errors import EmulatorError, InvalidRequest, InvalidState, NotFound
from agentsim_local.emulator.omnidimension import OmniBackend
from agentsim_local.emulator.omnidimension.records import Simulation
from agentsim_local.emulator.omnidimension.schemas import CreateIn, StartIn, UpdateIn
from agentsim_local.emulator.state import Store

SCENARIO = {"name": "a", "description": "b", "expected_result": "c"}


@pytest.fixture
def backend(store: Store) -> OmniBackend:
    return OmniBackend(store)


def _created(backend: OmniBackend, calls: int = 1, **fields: object) -> Simulation:
    scenarios = [{**SCENARIO, "name": f"s{i}"} for i in range(calls)]
    body = {"name": "x", "agent_id": 7, "concurrent_call_count": 1, "scenarios": scenarios}
    return backend.create(CreateIn.model_validate({**body, **fields}))


def test_an_unknown_id_raises_not_found_not_an_http_error(backend: OmniBackend) -> None:
    with pytest.raises(NotFound) as missing:
        backend.get("424242")

    assert isinstance(missing.value, EmulatorError)
    assert not isinstance(missing.value, HTTPException)
    assert not hasattr(missing.value, "status_code")
    assert missing.value.message == "Simulation not found"


def test_an_id_of_non_decimal_digits_is_not_found(backend: OmniBackend) -> None:
    with pytest.raises(NotFound):
        backend.get("²")


def test_a_started_simulation_walks_its_statuses_with_the_clock(
    backend: OmniBackend, clock: ManualClock
) -> None:
    sim = backend.start(_created(backend, calls=2), StartIn())
    seen = []
    for _ in range(12):
        seen.append(backend.status(sim))
        clock.advance(1)

    assert list(dict.fromkeys(seen)) == [
        "Pending",
        "In Progress",
        "Calculating Summary",
        "Completed",
    ]
    assert seen.count("In Progress") == 8  # two waves of one 4 s call


def test_starting_a_running_simulation_is_an_invalid_state(backend: OmniBackend) -> None:
    sim = backend.start(_created(backend), StartIn())

    with pytest.raises(InvalidState, match="cannot be started while Pending"):
        backend.start(sim, StartIn())


def test_starting_without_scenarios_is_an_invalid_request(backend: OmniBackend) -> None:
    sim = _created(backend, calls=0)

    with pytest.raises(InvalidRequest, match="no scenarios"):
        backend.start(sim, StartIn())


def test_updating_a_running_simulation_is_an_invalid_state(backend: OmniBackend) -> None:
    sim = backend.start(_created(backend), StartIn())

    with pytest.raises(InvalidState):
        backend.update(sim, UpdateIn(name="renamed"))


def test_an_unknown_scenario_id_is_an_invalid_request(backend: OmniBackend) -> None:
    with pytest.raises(InvalidRequest, match="Scenario 99 not found"):
        _created(backend, scenarios=[{**SCENARIO, "id": 99}])


def test_stop_counts_the_active_and_the_pending_calls(
    backend: OmniBackend, clock: ManualClock
) -> None:
    sim = backend.start(_created(backend, calls=3), StartIn())
    clock.advance(2)  # the first call is talking, two wait their wave

    stop = backend.stop(sim)

    assert stop.disconnect == {
        "successful_disconnects": 1,
        "failed_disconnects": 0,
        "pending_stopped": 2,
    }
    assert backend.status(sim) == "Stopped"


def test_stopping_a_draft_stops_nothing_and_says_its_status(backend: OmniBackend) -> None:
    stop = backend.stop(_created(backend))

    assert (stop.status, stop.disconnect) == ("Draft", None)


def test_enhancing_before_completion_is_an_invalid_state(backend: OmniBackend) -> None:
    with pytest.raises(InvalidState):
        backend.enhance(_created(backend))


def test_pages_are_newest_first_with_the_total(backend: OmniBackend) -> None:
    first, second, third = (_created(backend) for _ in range(3))

    page, total = backend.page(pageno=1, pagesize=2)

    assert [s.id for s in page] == [third.id, second.id] and total == 3
    assert first.id < second.id


def test_reset_forgets_every_simulation(backend: OmniBackend) -> None:
    sim = _created(backend)

    backend.store.reset()

    with pytest.raises(NotFound):
        backend.get(str(sim.id))
