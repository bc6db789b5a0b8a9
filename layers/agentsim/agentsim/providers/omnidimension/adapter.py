"""OmniDimension behind the neutral `SimulationProvider` contract.

prepare: create a Draft (spec only), update it (spec + id: PUT with the full scenario list,
scenario ids kept by name: `mapping.keep_scenario_ids`) or GET it to confirm it exists (id
only); the status seen then is kept in the handle for recognising a lost start. Repeats are
OmniDimension's calls per scenario (`number_of_call_to_make`), set as it prepares.
launch: POST start, the paid step. OmniDimension has no run id: the simulation is the run.
launch_candidates: the simulation itself, when it shows a start since prepare
(`mapping.started_since`). Every start of a simulation is known by the simulation's id, so the
key (`omnidimension:simulation:<id>`) is claimed before the start and passes on once its run
ended. poll / results: see `mapping`.
stop: POST stop; a 200 `success: false` (not running) is ProviderRejected.
expected duration: waves of `concurrent_call_count` calls over every scenario times
`number_of_call_to_make`, each as long as `max_call_duration_in_minutes`:
    ceil(calls_per_scenario * scenarios / concurrency) * max_minutes * 60 seconds
with OmniDimension's defaults (1 call, 3 at a time, 3 minutes, 1 scenario) for what is unknown.
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
from agentsim.providers.omnidimension.client import OmniDimensionClient
from agentsim.providers.omnidimension.durations import expected_seconds
from agentsim.providers.omnidimension.handles import (
    OmniDimensionLaunched,
    OmniDimensionPrepared,
    Prepared,
)
from agentsim.providers.omnidimension.mapping import (
    keep_scenario_ids,
    poll_status,
    simulation_results,
    started_since,
)
from agentsim.providers.omnidimension.requests import (
    RunOptions,
    SimulationSpec,
    SimulationUpdate,
)

logger = logging.getLogger(__name__)


class OmniDimensionProvider(
    ClientProvider[OmniDimensionClient, OmniDimensionPrepared, OmniDimensionLaunched]
):
    reuses_launch_keys = True

    client_class = OmniDimensionClient

    # Starting --------------------------------------------------------------------------------

    def prepare(
        self, simulation: BaseModel | None, *, simulation_id: str | None = None, attempts: int = 1
    ) -> OmniDimensionPrepared:
        """`attempts` > 1 is `number_of_call_to_make`: on the spec, or on its own for an
        existing simulation (update is partial: every field optional)."""
        spec = as_request(SimulationSpec, simulation)
        if spec is not None and attempts > 1:
            spec = spec.model_copy(update={"number_of_call_to_make": attempts})
        if simulation_id is None:
            if spec is None:
                raise ValueError("simulation or simulation_id is required")
            created = self.client.create_simulation(spec)
            return self._prepared(created.id, "created", created.status)
        simulation_id = str(simulation_id).strip()
        existing = self.client.get_simulation(simulation_id)
        if spec is None:
            if attempts > 1 and existing.number_of_call_to_make != attempts:
                calls = SimulationUpdate(number_of_call_to_make=attempts)
                self.client.update_simulation(simulation_id, calls)
            return self._prepared(simulation_id, "existing", existing.status)
        updated = self.client.update_simulation(
            simulation_id, keep_scenario_ids(spec, existing.scenarios_ids)
        )
        # The update answer may be partial (its documented example has no scenarios).
        return self._prepared(simulation_id, "updated", updated.status or existing.status)

    def _prepared(
        self, simulation_id: str, how: Prepared, status: str | None
    ) -> OmniDimensionPrepared:
        return OmniDimensionPrepared(
            simulation_id=simulation_id, prepared=how, prepared_status=status
        )

    def launch(
        self, prepared: OmniDimensionPrepared, run: BaseModel | None, *, idempotency_key: str
    ) -> OmniDimensionLaunched:
        """Start the simulation. OmniDimension takes no idempotency key; `find_launch` covers it."""
        started = self.client.start_simulation(prepared.simulation_id, as_request(RunOptions, run))
        status = started.simulation.status if started.simulation is not None else None
        logger.info(
            "omnidimension simulation started",
            extra={
                "simulation_id": prepared.simulation_id,
                "status": status,
                "idempotency_key": idempotency_key,
            },
        )
        return _launched(prepared, status)

    def launch_scope(self, prepared: OmniDimensionPrepared, *, idempotency_key: str) -> str:
        return _key(prepared.simulation_id)

    def launch_key(self, run: OmniDimensionLaunched) -> str:
        return _key(run.simulation_id)

    def launch_key_ahead(
        self, prepared: OmniDimensionPrepared, *, idempotency_key: str
    ) -> str | None:
        return _key(prepared.simulation_id)

    def launch_candidates(
        self, prepared: OmniDimensionPrepared, *, idempotency_key: str, attempted_at: datetime
    ) -> list[LaunchCandidate[OmniDimensionLaunched]]:
        current = self.client.get_simulation(prepared.simulation_id)
        if not started_since(prepared.prepared_status, current.status):
            return []
        found = _launched(prepared, current.status, found=True)
        return [LaunchCandidate(run=found, key=self.launch_key(found))]

    # Following -------------------------------------------------------------------------------

    def poll(self, run: OmniDimensionLaunched) -> PollResult:
        return poll_status(self.client.get_simulation(run.simulation_id))

    def results(self, run: OmniDimensionLaunched) -> SimulationResults:
        return simulation_results(self.client.get_simulation(run.simulation_id))

    def stop(self, run: OmniDimensionLaunched) -> None:
        """Stop the simulation; ProviderRejected when OmniDimension says it cannot (not running)."""
        answer = self.client.stop_simulation(run.simulation_id)
        logger.info(
            "omnidimension simulation stopped",
            extra={
                "simulation_id": run.simulation_id,
                "disconnect_results": answer.disconnect_results.raw()
                if answer.disconnect_results is not None
                else None,
            },
        )

    def expected_duration_seconds(
        self, simulation: BaseModel | None, run: BaseModel | None
    ) -> float:
        return expected_seconds(as_request(SimulationSpec, simulation), as_request(RunOptions, run))


def _key(simulation_id: str) -> str:
    return f"omnidimension:simulation:{simulation_id}"


def _launched(
    prepared: OmniDimensionPrepared, status: str | None, *, found: bool = False
) -> OmniDimensionLaunched:
    return OmniDimensionLaunched(
        **prepared.model_dump(exclude={"kind", "provider"}), launched_status=status, found=found
    )
