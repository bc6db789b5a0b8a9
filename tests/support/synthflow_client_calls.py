"""The Synthflow calls the client tests share: the suite-execute path and its answer, and a
simulation start reduced to its id."""

from __future__ import annotations

from support.synthflow_fake import AGENT_ID, CASE_ID, SESSION_ID, SUITE_ID

from agentsim.providers.synthflow import SynthflowClient

EXECUTE = f"simulation_suites/{SUITE_ID}/execute"
EXECUTED = {
    "session_id": SESSION_ID,
    "suite_id": SUITE_ID,
    "suite_name": "Front desk regression",
    "total_cases": 3,
    "status": "running",
}


def start(client: SynthflowClient) -> str:
    """Start the fake's case on its agent; the id of the simulation started."""
    return client.start_simulation(CASE_ID, AGENT_ID).simulation_id
