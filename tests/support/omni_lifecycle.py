"""What the OmniDimension lifecycle tests on the emulator share: the API key, a dental clinic of
two scenarios (one the emulator fails), and the start calls the emulator answered."""

from __future__ import annotations

from typing import Any

from support.lifecycle import emulator_calls
from support.run_requests import launches

from agentsim.providers.omnidimension import (
    OmniDimensionPrepared,
    OmniDimensionProvider,
    SimulationSpec,
)
from agentsim_local.emulator import EmulatorServer

API_KEY = "omni-integration-key-7c1e4b"
SCENARIOS: list[dict[str, Any]] = [
    {
        "name": "Book a cleaning",
        "description": "You are a new patient asking for a cleaning on Tuesday.",
        "expected_result": "The agent books a Tuesday slot.",
        "selected_voices": [{"id": "v1", "provider": "eleven_labs"}],
    },
    {
        "name": "Rude caller [emulator:fail]",
        "description": "Insult the agent and ask for a refund.",
        "expected_result": "The agent stays calm.",
    },
]
SPEC = SimulationSpec.model_validate(
    {
        "name": "Dental clinic",
        "agent_id": 158910,
        "number_of_call_to_make": 2,
        "concurrent_call_count": 2,
        "max_call_duration_in_minutes": 1,
        "scenarios": SCENARIOS,
    }
)


def starts(emulator: EmulatorServer) -> list[dict[str, Any]]:
    """Start calls the emulator processed (answered 2xx, or delayed past our timeout)."""
    return launches(emulator, "omnidimension")


def fail_the_next_start(emulator: EmulatorServer, kind: str) -> None:
    """The next start answered by a fault of `kind` (the emulator answers it before acting)."""
    emulator.faults.add(provider="omnidimension", kind=kind, path_contains="/start", times=1)


def start_statuses(emulator: EmulatorServer) -> list[int]:
    """The status of every start call the emulator answered, refused ones included."""
    calls = emulator_calls(emulator, "omnidimension")
    return [c["status"] for c in calls if c["path"].endswith("/start")]


def a_draft_failing_its_next_start(
    emulator: EmulatorServer, provider: OmniDimensionProvider, kind: str
) -> OmniDimensionPrepared:
    """SPEC created as a Draft, its next start answered by a fault of `kind`."""
    prepared = provider.prepare(SPEC)
    fail_the_next_start(emulator, kind)
    return prepared
