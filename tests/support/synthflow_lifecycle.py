"""What the Synthflow lifecycle tests on the emulator share: the emulator's agent, its passing
and failing cases and its suite, and the calls it logged."""

from __future__ import annotations

from typing import Any

from support.lifecycle import emulator_calls, poll_until_terminal

from agentsim.providers.base import PollResult
from agentsim.providers.synthflow import SimulationSpec, SynthflowProvider
from agentsim_local.emulator import EmulatorServer

AGENT_ID = "1726005822670-239735712159542050"
PASS_CASE = "9ad09ad3-9c22-441e-ae35-c05016a09786"
FAIL_CASE = "5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"
SUITE_ID = "0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01"


def case(case_id: str, **fields: object) -> SimulationSpec:
    """Case `case_id` on the emulator's agent, `fields` added."""
    return SimulationSpec.model_validate(
        {"simulation_case_id": case_id, "target_agent_id": AGENT_ID, **fields}
    )


SUITE = SimulationSpec.model_validate({"suite_id": SUITE_ID, "target_agent_id": AGENT_ID})


def poll_until_done(provider: SynthflowProvider, run: Any, timeout: float = 15) -> PollResult:
    """The terminal poll of `run`."""
    return poll_until_terminal(provider, run, timeout)[-1]


def synthflow_calls(emulator: EmulatorServer, method: str, path: str) -> list[dict[str, Any]]:
    """The emulator's log of `method` calls to Synthflow's `path` (below /v2/)."""
    return emulator_calls(emulator, "synthflow", method, f"/v2/{path}")
