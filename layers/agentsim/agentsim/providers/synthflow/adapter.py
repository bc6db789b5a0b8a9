"""SynthflowProvider: the neutral SimulationProvider contract over SynthflowClient.

Decisions (Synthflow differs from the other providers here):
- There is nothing to create or update: cases and suites are authored in Synthflow. `prepare`
  only validates and looks the case/suite up (free, fails fast on a wrong id or agent) and
  returns a handle of kind `case` or `suite`.
- `simulation_id` alone names an existing case or suite. A suite carries its agent (`model_id`)
  and can run from its id alone; a case cannot (the agent under test is not part of a case), so
  a case id alone is refused with an explanation: send `simulation.target_agent_id`.
- `launch` of a case sends a `simulation_session_id` derived from the agentsim run id (unless
  the caller chose one), so `launch_candidates` can look the simulation up after an ambiguous
  start; that session is the launch scope and is claimed ahead (`synthflow:session:<id>`), so
  no suite run can take it for its own. A suite execute returns a session nobody else knows;
  `launch_candidates` then lists the agent's sessions since the attempt holding exactly the
  suite's cases, the scope is the agent's suite and each session is claimed by its id.
- A repeated case (`attempts`) is started that many times into its session and followed as
  that session (`repeats`).
- Synthflow documents no stop endpoint: `stop` raises ProviderRejected (the workflow treats stop
  as best effort) and the simulation runs to its end.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from agentsim.providers.base import (
    ClientProvider,
    LaunchCandidate,
    PollResult,
    ProviderName,
    SimulationResults,
    as_request,
)
from agentsim.providers.errors import ProviderNotFound, ProviderRejected
from agentsim.providers.lenient import as_utc
from agentsim.providers.synthflow.client import SynthflowClient
from agentsim.providers.synthflow.durations import expected_seconds
from agentsim.providers.synthflow.handles import (
    DEFAULT_MAX_TURNS,
    SynthflowCase,
    SynthflowSession,
    SynthflowSimulation,
    SynthflowSuite,
    as_case,
    as_simulation,
    case_handle,
    case_session,
    launched_key,
    session_handle,
    session_id_for,
    simulation_handle,
    suite_handle,
)
from agentsim.providers.synthflow.mapping import (
    CLOCK_SKEW,
    SessionCounts,
    poll_session,
    poll_simulation,
    recent_simulations,
    simulation_results,
    suite_sessions,
    unique_simulations,
)
from agentsim.providers.synthflow.repeats import found_repeated, launch_repeated
from agentsim.providers.synthflow.requests import RunOptions, SimulationSpec, coerce_request

Prepared = SynthflowCase | SynthflowSuite
Launched = SynthflowSimulation | SynthflowSession
PROVIDER = ProviderName.SYNTHFLOW.value


def _refuse(message: str, operation: str) -> ProviderRejected:
    return ProviderRejected(PROVIDER, message, operation=operation)


def _lookup[T](fetch: Callable[[str], T], what: str, item_id: str) -> T:
    """`fetch(item_id)`, its 404 reworded to say what was missing."""
    try:
        return fetch(item_id)
    except ProviderNotFound as exc:
        raise ProviderNotFound(
            PROVIDER,
            f"{what} {item_id} not found: {exc.message}",
            status_code=exc.status_code,
            operation=exc.operation,
            detail=exc.detail,
        ) from exc


class SynthflowProvider(ClientProvider[SynthflowClient, Prepared, Launched]):
    """Runs Synthflow simulation cases (kind `simulation`) and suites (kind `session`)."""

    client_class = SynthflowClient

    # prepare ----------------------------------------------------------------------------------

    def prepare(
        self, simulation: BaseModel | None, *, simulation_id: str | None = None, attempts: int = 1
    ) -> Prepared:
        prepared = self._prepare(simulation, simulation_id)
        if attempts == 1:
            return prepared
        if isinstance(prepared, SynthflowSuite):
            raise _refuse("a suite runs each of its cases once: repeat a single case", "prepare")
        return prepared.model_copy(update={"attempts": attempts})

    def _prepare(self, simulation: BaseModel | None, simulation_id: str | None) -> Prepared:
        if simulation is None:
            if simulation_id is None:
                raise _refuse(
                    "give simulation (simulation_case_id or suite_id, and target_agent_id) "
                    "or simulation_id",
                    "prepare",
                )
            return self._prepare_from_id(simulation_id)
        spec = coerce_request(SimulationSpec, simulation, "simulation")
        if simulation_id is not None and simulation_id != spec.target_id:
            field = "suite_id" if spec.kind == "suite" else "simulation_case_id"
            raise _refuse(
                f"simulation_id {simulation_id!r} differs from simulation.{field} "
                f"{spec.target_id!r}; Synthflow simulations cannot be updated, send one id",
                "prepare",
            )
        if spec.kind == "suite":
            suite = _lookup(self.client.get_suite, "simulation suite", spec.target_id)
            return suite_handle(suite, spec.target_agent_id, spec.max_turns)
        case = _lookup(self.client.get_case, "simulation case", spec.target_id)
        return case_handle(spec, case)

    def _prepare_from_id(self, simulation_id: str) -> SynthflowSuite:
        """An id alone: a suite runs on its own agent; a case needs the agent, so refuse."""
        try:
            uuid.UUID(simulation_id)
        except ValueError:
            raise _refuse(
                f"simulation_id {simulation_id!r} is not a Synthflow case or suite id (a uuid)",
                "prepare",
            ) from None
        try:
            self.client.get_case(simulation_id)
        except ProviderNotFound:
            pass
        else:
            raise _refuse(
                f"simulation_id {simulation_id} is a simulation case; Synthflow needs the agent "
                "to test, which a case does not name: send simulation: {simulation_case_id, "
                "target_agent_id} instead",
                "prepare",
            )
        try:
            suite = self.client.get_suite(simulation_id)
        except ProviderNotFound as exc:
            raise ProviderNotFound(
                PROVIDER,
                f"simulation_id {simulation_id} is neither a simulation case nor a suite",
                status_code=exc.status_code,
                operation="prepare",
            ) from exc
        return suite_handle(suite, None, None)

    # launch -----------------------------------------------------------------------------------

    def launch(
        self, prepared: Prepared, run: BaseModel | None, *, idempotency_key: str
    ) -> Launched:
        options = coerce_request(RunOptions, run, "run") if run is not None else RunOptions()
        if isinstance(prepared, SynthflowSuite):
            if options.custom_variables:
                raise _refuse(
                    "run.custom_variables: a suite run takes no custom variables "
                    "(Synthflow's suite execute has none)",
                    "launch",
                )
            execution = self.client.execute_suite(
                prepared.simulation_id,
                prepared.target_agent_id,
                max_turns=prepared.max_turns or DEFAULT_MAX_TURNS,
            )
            return session_handle(
                prepared,
                execution.session_id,
                suite_name=execution.suite_name,
                total_cases=execution.total_cases,
            )
        case = as_case(prepared, "launch")
        session_id = case_session(case, idempotency_key)
        variables = {**(case.custom_variables or {}), **(options.custom_variables or {})}
        if case.attempts > 1:
            return launch_repeated(self.client, case, session_id, variables or None)
        simulation = self.client.start_simulation(
            case.simulation_id,
            case.target_agent_id,
            simulation_session_id=session_id,
            custom_variables=variables or None,
        )
        return simulation_handle(case, simulation, session_id)

    def launch_scope(self, prepared: Prepared, *, idempotency_key: str) -> str:
        if isinstance(prepared, SynthflowSuite):
            return f"synthflow:agent:{prepared.target_agent_id}:suite:{prepared.simulation_id}"
        case = as_case(prepared, "launch_scope")
        return f"synthflow:session:{case_session(case, idempotency_key)}"

    def launch_key(self, run: Launched) -> str:
        return launched_key(run)

    def launch_key_ahead(self, prepared: Prepared, *, idempotency_key: str) -> str | None:
        """A case launched into the session derived from our run id: that session is ours."""
        if not isinstance(prepared, SynthflowCase) or prepared.simulation_session_id:
            return None
        return f"synthflow:session:{session_id_for(idempotency_key)}"

    def launch_candidates(
        self, prepared: Prepared, *, idempotency_key: str, attempted_at: datetime
    ) -> list[LaunchCandidate[Launched]]:
        if isinstance(prepared, SynthflowSuite):
            return self._session_candidates(prepared, attempted_at)
        case = as_case(prepared, "find_launch")
        session_id = case_session(case, idempotency_key)
        if case.attempts > 1:
            found = found_repeated(self.client, case, session_id)
            return [] if found is None else [LaunchCandidate(run=found, key=launched_key(found))]
        simulations = self.client.iter_simulations(simulation_session_id=session_id)
        # Our derived session holds only our launch; a caller-chosen one may hold older runs.
        chosen = case.simulation_session_id
        recent = recent_simulations(
            simulations, case.simulation_id, attempted_at if chosen else None
        )
        handles = [simulation_handle(case, s, session_id) for s in recent]
        return [LaunchCandidate[Launched](run=h, key=self.launch_key(h)) for h in handles]

    def _session_candidates(
        self, prepared: SynthflowSuite, attempted_at: datetime
    ) -> list[LaunchCandidate[Launched]]:
        sessions = self.client.iter_sessions(
            target_agent_id=prepared.target_agent_id,
            start_date=as_utc(attempted_at) - CLOCK_SKEW,
        )
        # The suite's own case count (from prepare) beats a session that may still fill up.
        known = prepared.total_cases
        candidates: list[LaunchCandidate[Launched]] = []
        for match in suite_sessions(sessions, prepared.case_ids, attempted_at):
            handle = session_handle(
                prepared,
                match.session_id,
                total_cases=known if known is not None else match.session.total_simulations,
            )
            key = self.launch_key(handle)
            candidates.append(LaunchCandidate(run=handle, key=key, settled=match.complete))
        return candidates

    # poll / results / stop --------------------------------------------------------------------

    def poll(self, run: Launched) -> PollResult:
        if isinstance(run, SynthflowSession):
            session = self.client.get_session(run.simulation_id)
            return poll_session(session, run.total_cases or 0)
        simulation = as_simulation(run, "poll")
        return poll_simulation(self.client.get_simulation(simulation.simulation_id))

    def results(self, run: Launched) -> SimulationResults:
        if isinstance(run, SynthflowSession):
            session = self.client.get_session(run.simulation_id)
            simulations = session.simulations
            if len(simulations) < SessionCounts.of(session).reported_total:
                simulations = list(
                    self.client.iter_simulations(simulation_session_id=run.simulation_id)
                )
            raw = session.model_dump(mode="json", exclude_unset=True, exclude={"simulations"})
            return simulation_results(unique_simulations(simulations), raw)
        launched = as_simulation(run, "results")
        simulation = self.client.get_simulation(launched.simulation_id)
        raw = simulation.model_dump(
            mode="json", include={"simulation_id", "simulation_session_id", "status"}
        )
        return simulation_results([simulation], raw)

    def stop(self, run: Launched) -> None:
        raise _refuse(
            "Synthflow has no stop endpoint for simulations or sessions; the run continues "
            "until Synthflow ends it",
            "stop",
        )

    def expected_duration_seconds(
        self, simulation: BaseModel | None, run: BaseModel | None
    ) -> float:
        return expected_seconds(as_request(SimulationSpec, simulation))
