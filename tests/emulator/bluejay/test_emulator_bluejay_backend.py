"""The Bluejay backend alone, on a manual clock: no server, no HTTP."""

from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException
from support.emulator import ManualClock

from agentsim_local.emulator.bluejay import BluejayBackend
from agentsim_local.emulator.bluejay.records import Simulation
from agentsim_local.emulator.bluejay.schemas import (
    CreateDigitalHumanIn,
    CreateSimulationIn,
    QueueRunIn,
)
from agentsim_local.emulator.errors import EmulatorError, InvalidRequest, NotFound
from agentsim_local.emulator.state import Store


@pytest.fixture
def backend(store: Store) -> BluejayBackend:
    return BluejayBackend(store)


def _simulation(backend: BluejayBackend) -> Simulation:
    return backend.create(CreateSimulationIn(agent_id="5"))


@pytest.mark.parametrize(
    ("lookup", "message"),
    [
        (lambda b: b.simulation(999), "Simulation not found"),
        (lambda b: b.run(999), "Simulation run not found"),
        (lambda b: b.result(999), "Simulation result not found"),
        (lambda b: b.human(" 999 "), "Digital human 999 not found"),
    ],
)
def test_unknown_ids_raise_not_found_not_an_http_error(
    backend: BluejayBackend, lookup: object, message: str
) -> None:
    with pytest.raises(NotFound) as missing:
        lookup(backend)  # type: ignore[operator]

    assert isinstance(missing.value, EmulatorError)
    assert not isinstance(missing.value, HTTPException)
    assert missing.value.message == message


def test_an_id_of_non_decimal_digits_is_not_found(backend: BluejayBackend) -> None:
    with pytest.raises(NotFound):
        backend.queue(QueueRunIn(simulation_id="²"))


def test_a_new_simulation_has_the_three_default_digital_humans(backend: BluejayBackend) -> None:
    sim = _simulation(backend)

    assert [h.name for h in backend.humans_of(sim)] == [
        "Polite caller",
        "Confused caller",
        "Impatient caller [emulator:fail]",
    ]


def test_the_first_linked_digital_human_replaces_the_defaults(backend: BluejayBackend) -> None:
    sim = _simulation(backend)

    human, linked = backend.create_human(
        CreateDigitalHumanIn.model_validate(
            {"digital_human": {"phone_number": "+15550000001"}, "simulation_ids": [sim.id]}
        )
    )

    assert [h.id for h in backend.humans_of(sim)] == [human.id] and linked == [sim]


def test_queueing_a_simulation_without_digital_humans_is_an_invalid_request(
    backend: BluejayBackend,
) -> None:
    sim = _simulation(backend)
    backend.unlink(sim, list(sim.human_ids))

    with pytest.raises(InvalidRequest, match="no digital humans"):
        backend.queue(QueueRunIn(simulation_id=str(sim.id)))


def test_results_walk_their_statuses_with_the_clock(
    backend: BluejayBackend, clock: ManualClock
) -> None:
    run = backend.queue(QueueRunIn(simulation_id=str(_simulation(backend).id)))
    result = run.results[0]
    seen = []
    for _ in range(7):
        seen.append(result.status(clock.now))
        clock.advance(1)

    assert seen == ["QUEUED", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "EVALUATING", "COMPLETED"]


def test_ending_conversations_ends_only_the_running_ones(
    backend: BluejayBackend, clock: ManualClock
) -> None:
    run = backend.queue(QueueRunIn(simulation_id=str(_simulation(backend).id)))
    ids = [r.id for r in run.results]
    clock.advance(2)

    first = backend.end_conversations(ids)
    again = backend.end_conversations(ids[:1])

    assert (first.ended, first.failed) == (ids, [])
    assert (again.ended, again.failed) == ([], ids[:1])
    assert run.results[0].status(clock.now) == "EVALUATING"
