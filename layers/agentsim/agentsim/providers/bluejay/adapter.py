"""Bluejay behind the neutral `SimulationProvider` contract.

prepare: create (spec only), partial PUT (spec + id, after checking the agent matches) or a GET
to confirm the simulation exists (id only). launch: queue-simulation-run, the paid step; a
repeated run asks `runs_per_digital_human` (the prepared handle's `attempts`).
launch_candidates: the runs of this simulation since the attempt (`mapping.recent_runs`). Runs
of one simulation can be told apart only by time, so the simulation is the launch scope and each
run is claimed by its id (`bluejay:run:<id>`): the workflow follows the one no other run
claimed. stop: end-conversations for every result whose
conversation has not ended; nothing to end is not an error.
"""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import BaseModel

from agentsim.providers.base import (
    ClientProvider,
    LaunchCandidate,
    PollResult,
    SimulationResults,
    as_request,
)
from agentsim.providers.bluejay.client import BluejayClient
from agentsim.providers.bluejay.durations import expected_seconds
from agentsim.providers.bluejay.handles import BluejayLaunched, BluejayPrepared, Prepared
from agentsim.providers.bluejay.mapping import case_result, poll_status, recent_runs, totals
from agentsim.providers.bluejay.requests import RunOptions, SimulationSpec, update_body
from agentsim.providers.bluejay.statuses import is_endable
from agentsim.providers.errors import ProviderError, ProviderRejected

logger = logging.getLogger(__name__)


class BluejayProvider(ClientProvider[BluejayClient, BluejayPrepared, BluejayLaunched]):
    client_class = BluejayClient

    # Starting --------------------------------------------------------------------------------

    def prepare(
        self, simulation: BaseModel | None, *, simulation_id: str | None = None, attempts: int = 1
    ) -> BluejayPrepared:
        """The simulation, and the `attempts` that launch asks as `runs_per_digital_human`."""
        prepared = self._simulation(simulation, simulation_id)
        return prepared if attempts == 1 else prepared.model_copy(update={"attempts": attempts})

    def _simulation(
        self, simulation: BaseModel | None, simulation_id: str | None
    ) -> BluejayPrepared:
        spec = as_request(SimulationSpec, simulation)
        if spec is None and simulation_id is None:
            raise ValueError("simulation or simulation_id is required")
        if simulation_id is None:
            assert spec is not None
            created = self.client.create_simulation(spec)
            return self._prepared(created.simulation_id, "created")
        existing = self.client.get_simulation(simulation_id)
        if spec is None:
            return self._prepared(simulation_id, "existing")
        if existing.agent_id is not None and existing.agent_id != spec.agent_id:
            raise ProviderRejected(
                self.name,
                f"agent_id: simulation {simulation_id} belongs to agent {existing.agent_id}, "
                f"not {spec.agent_id}; Bluejay cannot move a simulation to another agent",
                operation="update_simulation",
            )
        try:
            fields = update_body(spec)
        except ValueError as exc:
            raise ProviderRejected(self.name, str(exc), operation="update_simulation") from None
        if fields:
            self.client.update_simulation(simulation_id, fields)
        return self._prepared(simulation_id, "updated")

    def _prepared(self, simulation_id: str, how: Prepared) -> BluejayPrepared:
        return BluejayPrepared(simulation_id=simulation_id, prepared=how)

    def launch(
        self, prepared: BluejayPrepared, run: BaseModel | None, *, idempotency_key: str
    ) -> BluejayLaunched:
        """Queue a run. Bluejay takes no idempotency key; `find_launch` covers retries."""
        options = as_request(RunOptions, run)
        if prepared.attempts > 1:
            options = (options or RunOptions()).model_copy(
                update={"runs_per_digital_human": prepared.attempts}
            )
        queued = self.client.queue_simulation_run(prepared.simulation_id, options)
        logger.info(
            "bluejay run queued",
            extra={"run_id": queued.simulation_run_id, "idempotency_key": idempotency_key},
        )
        return BluejayLaunched(
            simulation_id=prepared.simulation_id,
            prepared=prepared.prepared,
            run_id=queued.simulation_run_id,
            result_ids=queued.simulation_result_ids,
            agent_id=queued.agent_id,
        )

    def launch_scope(self, prepared: BluejayPrepared, *, idempotency_key: str) -> str:
        return f"bluejay:simulation:{prepared.simulation_id}"

    def launch_key(self, run: BluejayLaunched) -> str:
        return f"bluejay:run:{run.run_id}"

    def launch_candidates(
        self, prepared: BluejayPrepared, *, idempotency_key: str, attempted_at: datetime
    ) -> list[LaunchCandidate[BluejayLaunched]]:
        runs = self.client.get_simulation_runs(prepared.simulation_id).simulation_runs
        candidates = []
        for record in recent_runs(runs, attempted_at):
            found = BluejayLaunched(
                simulation_id=prepared.simulation_id,
                prepared=prepared.prepared,
                run_id=record.id,
                found=True,
            )
            candidates.append(LaunchCandidate(run=found, key=self.launch_key(found)))
        return candidates

    # Following -------------------------------------------------------------------------------

    def poll(self, run: BluejayLaunched) -> PollResult:
        return poll_status(self.client.retrieve_simulation_results(run.run_id))

    def results(self, run: BluejayLaunched) -> SimulationResults:
        answer = self.client.retrieve_simulation_results(run.run_id)
        names = self._digital_human_names(run.simulation_id)
        cases = [case_result(r, names) for r in answer.simulation_results]
        total, passed, failed = totals(answer, cases)
        return SimulationResults(
            total=total,
            passed=passed,
            failed=failed,
            has_verdicts=True,
            summary=answer.simulation_run.summary,
            cases=cases,
            raw=answer.simulation_run.raw(),
        )

    def _digital_human_names(self, simulation_id: str) -> dict[str, str]:
        """Names for the report. Cosmetic, so a failure here never loses the results."""
        try:
            humans = self.client.get_digital_humans_by_simulation(simulation_id).digital_humans
        except ProviderError as error:
            logger.warning("bluejay digital humans unavailable", extra={"error": error.to_dict()})
            return {}
        return {h.id: h.name for h in humans if h.id is not None and h.name}

    def stop(self, run: BluejayLaunched) -> None:
        """End every conversation not yet ended; a partial success is still a stop.

        Bluejay only ends RUNNING conversations, but queued ones are sent too (best effort). A
        refusal (`success: false`) is accepted when something was ended, or when a fresh look
        shows nothing left to end (they finished meanwhile); otherwise ProviderRejected.
        """
        ids = self._endable(run, fallback=True)
        if not ids:
            return
        answer = self.client.end_conversations(ids, require_success=False)
        if answer.failed_ids:
            logger.warning(
                "bluejay could not end some conversations",
                extra={"failed_ids": answer.failed_ids, "ended": answer.ended_count},
            )
        if answer.success or answer.ended_count > 0:
            return
        if self._endable(run, fallback=False):
            raise self.client.refusal(answer)

    def _endable(self, run: BluejayLaunched, *, fallback: bool) -> list[str]:
        """Ids of conversations that may still be going on (the queued ids before any exist)."""
        current = self.client.retrieve_simulation_results(run.run_id).simulation_results
        if current:
            return [r.id for r in current if is_endable(r.status)]
        return list(run.result_ids) if fallback else []

    def expected_duration_seconds(
        self, simulation: BaseModel | None, run: BaseModel | None
    ) -> float:
        return expected_seconds(as_request(SimulationSpec, simulation), as_request(RunOptions, run))
