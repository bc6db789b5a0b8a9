"""The ProviderRun handles Synthflow runs travel in (JSON, stored in the Step Functions state).

Kinds: `case` and `suite` are prepared, not yet launched (`simulation_id` = the case or suite
id); `simulation` is a launched case (`simulation_id` = the simulation, `run_id` = its session);
`session` is a launched suite (`simulation_id` = `run_id` = the session). `extra` keeps what
launch, find_launch, poll and results need later.
"""

from __future__ import annotations

from agentsim.providers.base import ProviderName, ProviderRun
from agentsim.providers.errors import ProviderRejected
from agentsim.providers.synthflow.envelope import PROVIDER
from agentsim.providers.synthflow.models import (
    SimulationCase,
    SimulationReadOut,
    SimulationSuite,
)
from agentsim.providers.synthflow.specs import DEFAULT_MAX_TURNS, SimulationSpec

SYNTHFLOW = ProviderName.SYNTHFLOW


def case_handle(spec: SimulationSpec, case: SimulationCase) -> ProviderRun:
    session_id = spec.simulation_session_id
    return ProviderRun(
        provider=SYNTHFLOW,
        simulation_id=spec.target_id,
        kind="case",
        extra={
            "target_agent_id": spec.target_agent_id,
            "simulation_session_id": str(session_id) if session_id else None,
            "custom_variables": spec.custom_variables,
            "case_name": case.name,
        },
    )


def suite_handle(
    suite: SimulationSuite, target_agent_id: str | None, max_turns: int | None
) -> ProviderRun:
    """A prepared suite; refused when the agent is not the suite's own (execute would be)."""
    agent = target_agent_id or suite.model_id
    if not agent:
        raise ProviderRejected(
            PROVIDER,
            f"suite {suite.id} names no model_id: send simulation.target_agent_id",
            operation="prepare",
        )
    if suite.model_id and suite.model_id != agent:
        raise ProviderRejected(
            PROVIDER,
            f"simulation.target_agent_id {agent!r} is not the agent of suite {suite.id} "
            f"(model_id {suite.model_id!r}); Synthflow runs a suite only on its own agent",
            operation="prepare",
        )
    cases = suite.cases
    return ProviderRun(
        provider=SYNTHFLOW,
        simulation_id=suite.id,
        kind="suite",
        extra={
            "target_agent_id": agent,
            "max_turns": max_turns or DEFAULT_MAX_TURNS,
            "suite_name": suite.name,
            "case_ids": [c.simulation_case_id for c in cases] if cases is not None else None,
            "total_cases": len(cases) if cases is not None else None,
        },
    )


def simulation_handle(
    prepared: ProviderRun, simulation: SimulationReadOut, session_id: str
) -> ProviderRun:
    return ProviderRun(
        provider=SYNTHFLOW,
        simulation_id=simulation.simulation_id,
        run_id=simulation.simulation_session_id or session_id,
        kind="simulation",
        extra={
            "simulation_case_id": prepared.simulation_id,
            "target_agent_id": prepared.extra.get("target_agent_id"),
            "case_name": prepared.extra.get("case_name"),
        },
    )


def session_handle(
    prepared: ProviderRun,
    session_id: str,
    *,
    suite_name: str | None = None,
    total_cases: int | None = None,
) -> ProviderRun:
    """A launched suite; `total_cases` defaults to the count seen when preparing."""
    extra = prepared.extra
    return ProviderRun(
        provider=SYNTHFLOW,
        simulation_id=session_id,
        run_id=session_id,
        kind="session",
        extra={
            "suite_id": prepared.simulation_id,
            "suite_name": suite_name or extra.get("suite_name"),
            "target_agent_id": extra.get("target_agent_id"),
            "max_turns": extra.get("max_turns"),
            "total_cases": total_cases if total_cases is not None else extra.get("total_cases"),
        },
    )
