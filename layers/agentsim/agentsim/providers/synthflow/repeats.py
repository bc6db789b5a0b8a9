"""A Synthflow case run several times: started `attempts` times into one session.

Synthflow has no repeat field; `POST /simulations` takes a `simulation_session_id` that groups
simulations (its API reference, start-simulation under
https://docs.synthflow.ai/api-reference/platform-api/simulations/), so the attempts of one case
share the session derived from the agentsim run id and are followed as that session, as a
suite's cases are. No start is idempotent, so a launch first counts the case's simulations the
session already holds and starts only the missing ones: after a start whose answer was lost
the retry tops the session up instead of starting every attempt again, and a session holding
all of them is the launch found again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agentsim.providers.synthflow.client import SynthflowClient
from agentsim.providers.synthflow.handles import SynthflowCase, SynthflowSession, repeated_session
from agentsim.providers.synthflow.responses import SimulationReadOut


def attempts_made(simulations: Iterable[SimulationReadOut], case: SynthflowCase) -> int:
    """How many simulations of the case a session listing holds."""
    return sum(s.simulation_case_id in (None, case.simulation_id) for s in simulations)


def launch_repeated(
    client: SynthflowClient,
    case: SynthflowCase,
    session_id: str,
    variables: dict[str, Any] | None,
) -> SynthflowSession:
    """Start the case until its session holds `case.attempts` simulations of it."""
    made = attempts_made(client.iter_simulations(simulation_session_id=session_id), case)
    for _ in range(case.attempts - made):
        client.start_simulation(
            case.simulation_id,
            case.target_agent_id,
            simulation_session_id=session_id,
            custom_variables=variables,
        )
    return repeated_session(case, session_id)


def found_repeated(
    client: SynthflowClient, case: SynthflowCase, session_id: str
) -> SynthflowSession | None:
    """The session of a lost launch when it holds every attempt; else None (launch tops it up)."""
    made = attempts_made(client.iter_simulations(simulation_session_id=session_id), case)
    return repeated_session(case, session_id) if made >= case.attempts else None
