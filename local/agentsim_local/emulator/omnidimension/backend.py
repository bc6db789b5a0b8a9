"""OmniDimension operations on its records, independent of HTTP: refusals are emulator errors."""

from __future__ import annotations

from typing import Any

from agentsim_local.emulator.errors import InvalidRequest, InvalidState
from agentsim_local.emulator.omnidimension import schemas
from agentsim_local.emulator.omnidimension.records import (
    RUNNING,
    STARTABLE,
    UPDATABLE,
    Call,
    Run,
    Simulation,
    Stop,
)
from agentsim_local.emulator.state import Backend, find, int_id


class OmniBackend(Backend):
    """OmniDimension's simulations, each with its latest run."""

    simulations: dict[int, Simulation]

    # -- lookups ------------------------------------------------------------------------

    def get(self, simulation_id: str) -> Simulation:
        return find(self.simulations, int_id(simulation_id), "Simulation not found")

    def page(self, pageno: int, pagesize: int) -> tuple[list[Simulation], int]:
        """One page of the simulations, newest first, and how many there are in all."""
        with self.store.lock:
            sims = sorted(self.simulations.values(), key=lambda s: s.id, reverse=True)
            return sims[(pageno - 1) * pagesize : pageno * pagesize], len(sims)

    def status(self, sim: Simulation) -> str:
        return sim.status(self.store.now())

    # -- operations ---------------------------------------------------------------------

    def create(self, body: schemas.CreateIn) -> Simulation:
        with self.store.lock:
            sim = Simulation(
                id=self.store.next_id("omni-simulation", 1001),
                name=body.name,
                agent_id=body.agent_id,
                number_of_call_to_make=body.number_of_call_to_make,
                concurrent_call_count=body.concurrent_call_count,
                max_call_duration_in_minutes=body.max_call_duration_in_minutes,
                scenarios=self._scenarios(body.scenarios or [], []),
                created_at=self.store.now(),
            )
            return self.add(self.simulations, sim)

    def update(self, sim: Simulation, body: schemas.UpdateIn) -> Simulation:
        with self.store.lock:
            if self.status(sim) in RUNNING:
                raise InvalidState("Cannot update a simulation that is in progress")
            fields = body.model_dump(exclude_none=True, exclude={"scenarios"})
            for name in UPDATABLE:
                if name in fields:
                    setattr(sim, name, fields[name])
            if body.scenarios is not None:
                sim.scenarios = self._scenarios(body.scenarios, sim.scenarios)
            return sim

    def start(self, sim: Simulation, body: schemas.StartIn) -> Simulation:
        with self.store.lock:
            status = self.status(sim)
            if status not in STARTABLE:
                raise InvalidState(f"Simulation cannot be started while {status}")
            if body.scenarios is not None:
                sim.scenarios = self._scenarios(body.scenarios, sim.scenarios)
            if not sim.scenarios:
                raise InvalidRequest("Simulation has no scenarios to run")
            sim.run = self._plan(sim)
            return sim

    def stop(self, sim: Simulation) -> Stop:
        with self.store.lock:
            now = self.store.now()
            status = self.status(sim)
            if sim.run is None or status not in RUNNING:
                return Stop(status)
            elapsed = sim.run.elapsed(now)
            active = sum(1 for c in sim.run.calls if c.start <= elapsed < c.end)
            pending = sum(1 for c in sim.run.calls if elapsed < c.start)
            sim.run.stopped_at = now
            sim.run.disconnect = {
                "successful_disconnects": active,
                "failed_disconnects": 0,
                "pending_stopped": pending,
            }
            return Stop(status, sim.run.disconnect)

    def delete(self, sim: Simulation) -> None:
        with self.store.lock:
            self.simulations.pop(sim.id, None)

    def enhance(self, sim: Simulation) -> Simulation:
        """The simulation whose prompt can be enhanced: a completed one."""
        if self.status(sim) != "Completed":
            raise InvalidState(
                "Enhanced prompt suggestions are only available for completed simulations"
            )
        return sim

    # -- helpers ------------------------------------------------------------------------

    def _scenarios(
        self, items: list[schemas.ScenarioIn], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        known = {s["id"]: s for s in existing}
        result: list[dict[str, Any]] = []
        for item in items:
            if item.id is not None and item.id not in known:
                raise InvalidRequest(f"Scenario {item.id} not found")
            scenario_id = (
                item.id if item.id is not None else self.store.next_id("omni-scenario", 5001)
            )
            data = item.model_dump(exclude_none=True, exclude={"id"})
            result.append({"id": scenario_id, **data})
        return result

    def _plan(self, sim: Simulation) -> Run:
        durations = self.store.durations()
        calls: list[Call] = []
        for scenario in sim.scenarios:
            for attempt in range(1, sim.number_of_call_to_make + 1):
                verdict = self.store.outcome(
                    scenario["name"],
                    scenario["description"],
                    scenario["expected_result"],
                    attempt=attempt,
                )
                index = len(calls)
                wave = index // sim.concurrent_call_count
                start = durations.queue + wave * durations.call
                calls.append(Call(index, scenario, verdict, start, start + durations.call))
        return Run(self.store.now(), durations, calls)
