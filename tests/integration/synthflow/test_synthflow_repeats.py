"""A repeated Synthflow case against the emulator over real HTTP: started n times into one
session, and after a lost start topped up rather than started again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.run_requests import SYNTHFLOW_AGENT, SYNTHFLOW_PASSING_CASE, SYNTHFLOW_SUITE, launches

from agentsim.providers.errors import ProviderRejected
from agentsim.providers.synthflow import SimulationSpec, SynthflowProvider
from agentsim.providers.synthflow.handles import SynthflowSession, session_id_for
from agentsim_local.emulator import EmulatorServer

CASE = SimulationSpec.model_validate(
    {"simulation_case_id": SYNTHFLOW_PASSING_CASE, "target_agent_id": SYNTHFLOW_AGENT}
)


def in_session(provider: SynthflowProvider, session_id: str) -> int:
    return len(list(provider.client.iter_simulations(simulation_session_id=session_id)))


def test_a_repeated_case_is_followed_as_the_session_of_its_attempts(
    provider: SynthflowProvider,
) -> None:
    prepared = provider.prepare(CASE, attempts=3)

    launched = provider.launch(prepared, None, idempotency_key="run-1")

    assert isinstance(launched, SynthflowSession)
    assert (launched.simulation_id, launched.total_cases) == (session_id_for("run-1"), 3)
    assert in_session(provider, launched.simulation_id) == 3


def test_a_relaunch_starts_only_the_attempts_its_session_lacks(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    session = session_id_for("run-1")
    provider.client.start_simulation(
        SYNTHFLOW_PASSING_CASE, SYNTHFLOW_AGENT, simulation_session_id=session
    )

    provider.launch(provider.prepare(CASE, attempts=3), None, idempotency_key="run-1")

    assert in_session(provider, session) == 3
    assert len(launches(emulator, "synthflow")) == 3  # the one before, and two more


def test_a_lost_launch_is_found_once_its_session_holds_every_attempt(
    provider: SynthflowProvider,
) -> None:
    prepared = provider.prepare(CASE, attempts=2)
    since = datetime.now(UTC)
    session = session_id_for("run-1")
    provider.client.start_simulation(
        SYNTHFLOW_PASSING_CASE, SYNTHFLOW_AGENT, simulation_session_id=session
    )
    assert provider.find_launch(prepared, idempotency_key="run-1", attempted_at=since) is None

    provider.client.start_simulation(
        SYNTHFLOW_PASSING_CASE, SYNTHFLOW_AGENT, simulation_session_id=session
    )
    found = provider.find_launch(prepared, idempotency_key="run-1", attempted_at=since)

    assert isinstance(found, SynthflowSession)
    assert found.simulation_id == session


def test_a_repeated_suite_is_refused_before_anything_runs(
    provider: SynthflowProvider, emulator: EmulatorServer
) -> None:
    suite = SimulationSpec.model_validate(
        {"suite_id": SYNTHFLOW_SUITE, "target_agent_id": SYNTHFLOW_AGENT}
    )

    with pytest.raises(ProviderRejected, match="repeat a single case"):
        provider.prepare(suite, attempts=2)
    assert launches(emulator, "synthflow") == []
