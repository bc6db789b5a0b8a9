"""What the SynthflowProvider tests share: one run, its own session, the fake's case and suite
paths, and the fakes a case or a suite is prepared against."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from support import synthflow_fake as sf

from agentsim.providers.synthflow import SimulationSpec, session_id_for

RUN_ID = "run-0001"
OWN_SESSION = session_id_for(RUN_ID)
CASE_PATH = f"simulation_cases/{sf.CASE_ID}"
SUITE_PATH = f"simulation_suites/{sf.SUITE_ID}"
ATTEMPTED = datetime(2025, 11, 21, 10, 0, 0, tzinfo=UTC)
SUITE_SPEC = SimulationSpec(suite_id=sf.SUITE_ID, target_agent_id=sf.AGENT_ID)
EXECUTED = {
    "session_id": sf.SESSION_ID,
    "suite_id": sf.SUITE_ID,
    "suite_name": "S",
    "total_cases": 2,
}


def case_fake() -> sf.FakeSynthflow:
    """A fake that knows the seed case."""
    return sf.FakeSynthflow().on("GET", CASE_PATH, sf.ok(sf.case_body()))


def prepared_case(fake: sf.FakeSynthflow, **spec: object) -> Any:
    """The seed case prepared against `fake`, `spec` overriding its request fields."""
    return sf.make_provider(fake).prepare(
        SimulationSpec.model_validate({**sf.SEED_REQUEST, **spec})
    )


def suite_fake(*sessions: dict[str, Any]) -> sf.FakeSynthflow:
    """A fake that knows the seed suite and lists `sessions` as the agent's sessions."""
    return (
        sf.FakeSynthflow()
        .on("GET", SUITE_PATH, sf.ok(sf.suite_body()))
        .on("GET", "simulations/sessions", sf.listing(list(sessions)))
    )


def session_holding(session_id: str, *cases: str, at: str) -> dict[str, Any]:
    """A session of one simulation per case in `cases`, each created at `at`."""
    runs = [
        sf.simulation(f"{session_id}-{n}", case_id=c, created_at=at) for n, c in enumerate(cases)
    ]
    return sf.session(runs, session_id=session_id)
