"""What the workflow keeps of a Synthflow run between its steps, one class per kind.

Prepared, not yet launched: `SynthflowCase` (`simulation_id` = the case) and `SynthflowSuite`
(`simulation_id` = the suite). Launched: `SynthflowSimulation`, a case run (`simulation_id` = the
simulation, `run_id` = its session), and `SynthflowSession`, a suite run (`simulation_id` =
`run_id` = the session). Each keeps what launch, the search for a lost launch, poll and results
need later.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Literal

from pydantic import JsonValue

from agentsim.providers.base import Handle, ProviderName
from agentsim.providers.errors import ProviderRejected

if TYPE_CHECKING:  # what the builders read; a record reading a handle needs neither module
    from agentsim.providers.synthflow.requests import SimulationSpec
    from agentsim.providers.synthflow.responses import (
        SimulationCase,
        SimulationReadOut,
        SimulationSuite,
    )

SYNTHFLOW = ProviderName.SYNTHFLOW
DEFAULT_MAX_TURNS = 20
"""Turns per case of a suite run when the request names none."""


def session_id_for(idempotency_key: str) -> str:
    """The deterministic `simulation_session_id` for an agentsim run, to find a lost start."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "agentsim:" + idempotency_key))


class _Synthflow(Handle):
    provider: Literal[ProviderName.SYNTHFLOW] = ProviderName.SYNTHFLOW
    target_agent_id: str | None = None


class SynthflowCase(_Synthflow):
    """One simulation case to run on an agent."""

    kind: Literal["case"] = "case"
    target_agent_id: str
    simulation_session_id: str | None = None
    """The caller's session, when it chose one (else one derived from the run id is used)."""
    custom_variables: dict[str, JsonValue] | None = None
    case_name: str | None = None
    attempts: int = 1
    """Times the case is started into its session (`repeat.times`): more than one makes the
    launch a session of its attempts (`SynthflowSession`)."""


class SynthflowSuite(_Synthflow):
    """A suite to execute on its agent; its cases, when the suite listed them."""

    kind: Literal["suite"] = "suite"
    target_agent_id: str
    max_turns: int = DEFAULT_MAX_TURNS
    suite_name: str | None = None
    case_ids: list[str] | None = None
    total_cases: int | None = None


class SynthflowSimulation(_Synthflow):
    """A launched case: the simulation, in its session (`run_id`)."""

    kind: Literal["simulation"] = "simulation"
    simulation_case_id: str | None = None
    case_name: str | None = None


class SynthflowSession(_Synthflow):
    """A launched suite, or a case started several times: the session of its simulations."""

    kind: Literal["session"] = "session"
    suite_id: str | None = None
    simulation_case_id: str | None = None
    """The case whose attempts the session holds, when it is a repeated case, not a suite."""
    suite_name: str | None = None
    max_turns: int | None = None
    total_cases: int | None = None


def case_handle(spec: SimulationSpec, case: SimulationCase) -> SynthflowCase:
    session_id = spec.simulation_session_id
    return SynthflowCase(
        simulation_id=spec.target_id,
        target_agent_id=spec.target_agent_id,
        simulation_session_id=str(session_id) if session_id else None,
        custom_variables=spec.custom_variables,
        case_name=case.name,
    )


def suite_handle(
    suite: SimulationSuite, target_agent_id: str | None, max_turns: int | None
) -> SynthflowSuite:
    """A prepared suite; refused when the agent is not the suite's own (execute would be)."""
    agent = target_agent_id or suite.model_id
    if not agent:
        raise ProviderRejected(
            SYNTHFLOW.value,
            f"suite {suite.id} names no model_id: send simulation.target_agent_id",
            operation="prepare",
        )
    if suite.model_id and suite.model_id != agent:
        raise ProviderRejected(
            SYNTHFLOW.value,
            f"simulation.target_agent_id {agent!r} is not the agent of suite {suite.id} "
            f"(model_id {suite.model_id!r}); Synthflow runs a suite only on its own agent",
            operation="prepare",
        )
    cases = suite.cases
    return SynthflowSuite(
        simulation_id=suite.id,
        target_agent_id=agent,
        max_turns=max_turns or DEFAULT_MAX_TURNS,
        suite_name=suite.name,
        case_ids=[c.simulation_case_id for c in cases] if cases is not None else None,
        total_cases=len(cases) if cases is not None else None,
    )


def simulation_handle(
    prepared: SynthflowCase, simulation: SimulationReadOut, session_id: str
) -> SynthflowSimulation:
    return SynthflowSimulation(
        simulation_id=simulation.simulation_id,
        run_id=simulation.simulation_session_id or session_id,
        simulation_case_id=prepared.simulation_id,
        target_agent_id=prepared.target_agent_id,
        case_name=prepared.case_name,
    )


def session_handle(
    prepared: SynthflowSuite,
    session_id: str,
    *,
    suite_name: str | None = None,
    total_cases: int | None = None,
) -> SynthflowSession:
    """A launched suite; `total_cases` defaults to the count seen when preparing."""
    return SynthflowSession(
        simulation_id=session_id,
        run_id=session_id,
        suite_id=prepared.simulation_id,
        suite_name=suite_name or prepared.suite_name,
        target_agent_id=prepared.target_agent_id,
        max_turns=prepared.max_turns,
        total_cases=total_cases if total_cases is not None else prepared.total_cases,
    )


def repeated_session(case: SynthflowCase, session_id: str) -> SynthflowSession:
    """A case launched `attempts` times into one session, followed as that session."""
    return SynthflowSession(
        simulation_id=session_id,
        run_id=session_id,
        simulation_case_id=case.simulation_id,
        target_agent_id=case.target_agent_id,
        total_cases=case.attempts,
    )


def case_session(prepared: SynthflowCase, idempotency_key: str) -> str:
    """The session a case is launched into: the caller's, else one derived from our run id."""
    return prepared.simulation_session_id or session_id_for(idempotency_key)


def as_case(handle: object, operation: str) -> SynthflowCase:
    """`handle` as a prepared case; a launched handle is refused (it is launched already)."""
    if not isinstance(handle, SynthflowCase):
        raise _refused(f"a {_kind(handle)} handle is already launched", operation)
    return handle


def as_simulation(handle: object, operation: str) -> SynthflowSimulation:
    """`handle` as a launched case; a prepared one was never launched."""
    if not isinstance(handle, SynthflowSimulation):
        message = f"a {_kind(handle)} handle was never launched: nothing to {operation}"
        raise _refused(message, operation)
    return handle


def launched_key(handle: object) -> str:
    """The claim key of a launched case or suite (`synthflow:<kind>:<id>`)."""
    if not isinstance(handle, SynthflowSimulation | SynthflowSession):
        raise _refused(f"a {_kind(handle)} handle is not launched: it has no key", "launch_key")
    return f"synthflow:{handle.kind}:{handle.simulation_id}"


def _kind(handle: object) -> str:
    return str(getattr(handle, "kind", type(handle).__name__))


def _refused(message: str, operation: str) -> ProviderRejected:
    return ProviderRejected(SYNTHFLOW.value, message, operation=operation)
