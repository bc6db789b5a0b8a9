"""Bluejay operations on its records, independent of HTTP: refusals are emulator errors."""

from __future__ import annotations

from typing import Any

from agentsim_local.emulator.bluejay import schemas
from agentsim_local.emulator.bluejay.records import (
    DEFAULT_HUMANS,
    DigitalHuman,
    Ended,
    Result,
    Run,
    Simulation,
)
from agentsim_local.emulator.errors import InvalidRequest
from agentsim_local.emulator.state import Backend, Timeline, find, int_id


class BluejayBackend(Backend):
    """Bluejay's simulations, digital humans, runs and their results."""

    simulations: dict[int, Simulation]
    humans: dict[int, DigitalHuman]
    runs: dict[int, Run]
    results: dict[int, Result]

    # -- lookups and lists --------------------------------------------------------------

    def simulation(self, simulation_id: int | str) -> Simulation:
        key = int_id(str(simulation_id).strip())
        return find(self.simulations, key, "Simulation not found")

    def run(self, run_id: int) -> Run:
        return find(self.runs, run_id, "Simulation run not found")

    def result(self, result_id: int) -> Result:
        return find(self.results, result_id, "Simulation result not found")

    def human(self, human_id: int | str) -> DigitalHuman:
        key = str(human_id).strip()
        return find(self.humans, int_id(key), f"Digital human {key} not found")

    def simulations_of_agent(self, agent_id: str) -> list[Simulation]:
        return [s for s in self.simulations.values() if str(s.agent_id) == agent_id]

    def runs_of(self, sim: Simulation) -> list[Run]:
        return [r for r in self.runs.values() if r.simulation_id == sim.id]

    def humans_of(self, sim: Simulation) -> list[DigitalHuman]:
        return [self.humans[h] for h in sim.human_ids if h in self.humans]

    # -- simulations and digital humans -------------------------------------------------

    def create(self, body: schemas.CreateSimulationIn) -> Simulation:
        with self.store.lock:
            sim_id = self.store.next_id("bluejay-simulation", 301)
            humans = [
                self._new_human(name, intent, criteria, "+15550100000")
                for name, intent, criteria in DEFAULT_HUMANS
            ]
            fields = body.model_dump(mode="json", exclude={"agent_id"}, exclude_none=True)
            sim = Simulation(
                id=sim_id,
                agent_id=int(body.agent_id),
                name=body.name or f"Simulation {sim_id}",
                created_at=self.store.now(),
                fields=fields,
                human_ids=[h.id for h in humans],
            )
            return self.add(self.simulations, sim)

    def update(self, sim: Simulation, body: schemas.UpdateSimulationIn) -> Simulation:
        with self.store.lock:
            changes = body.model_dump(mode="json", exclude_unset=True)
            sim.fields.update(changes)
            if body.name:
                sim.name = body.name
            return sim

    def delete(self, sim: Simulation) -> None:
        with self.store.lock:
            self.simulations.pop(sim.id, None)

    def create_human(
        self, body: schemas.CreateDigitalHumanIn
    ) -> tuple[DigitalHuman, list[Simulation]]:
        """A new digital human, linked to the simulations named: (it, those simulations)."""
        with self.store.lock:
            sims = [self.simulation(i) for i in body.simulation_ids or []]
            data = body.digital_human.model_dump(
                exclude={"name", "intent", "success_criteria", "phone_number"}, exclude_none=True
            )
            d = body.digital_human
            human = self._new_human(d.name, d.intent, d.success_criteria, d.phone_number, **data)
            for sim in sims:
                self.link(sim, [human.id])
            return human, sims

    def link(self, sim: Simulation, human_ids: list[int]) -> None:
        """Link digital humans; the first explicit link replaces the default three."""
        with self.store.lock:
            for human_id in human_ids:
                self.human(human_id)
            if sim.default_humans:
                sim.human_ids, sim.default_humans = [], False
            sim.human_ids += [h for h in human_ids if h not in sim.human_ids]

    def unlink(self, sim: Simulation, human_ids: list[int]) -> None:
        with self.store.lock:
            sim.human_ids = [h for h in sim.human_ids if h not in human_ids]
            sim.default_humans = False

    def _new_human(
        self, name: str | None, intent: str, criteria: str, phone: str, **extra: Any
    ) -> DigitalHuman:
        human = DigitalHuman(
            id=self.store.next_id("bluejay-human", 4001),
            name=name,
            intent=intent,
            success_criteria=criteria,
            phone_number=phone,
            created_at=self.store.now(),
            extra=extra,
        )
        return self.add(self.humans, human)

    # -- runs ---------------------------------------------------------------------------

    def queue(self, body: schemas.QueueRunIn) -> Run:
        with self.store.lock:
            sim = self.simulation(body.simulation_id)
            ids = body.digital_human_ids or [str(h) for h in sim.human_ids]
            humans = [self.human(h) for h in ids]
            if not humans:
                raise InvalidRequest("Simulation has no digital humans to run")
            settings = sim.fields.get("digital_humans_settings") or {}
            sim_runs = sim.fields.get("runs_per_digital_human") or settings.get("num_runs")
            now, durations = self.store.now(), self.store.durations()
            run = Run(self.store.next_id("bluejay-run", 7001), sim.id, sim.agent_id, now, [])
            for human in humans:
                times = body.runs_per_digital_human or human.extra.get("num_runs") or sim_runs or 1
                for attempt in range(1, int(times) + 1):
                    result = Result(
                        id=self.store.next_id("bluejay-result", 90001),
                        run_id=run.id,
                        human=human,
                        outcome=self.store.outcome(
                            human.name,
                            human.intent,
                            attempt=attempt,
                        ),
                        timeline=Timeline(now, durations),
                    )
                    run.results.append(result)
                    self.add(self.results, result)
            return self.add(self.runs, run)

    def end_conversations(self, ids: list[int]) -> Ended:
        """End the calls of the results that are RUNNING now; the others are left alone."""
        with self.store.lock:
            now = self.store.now()
            ended: list[int] = []
            for result_id in ids:
                result = self.results.get(result_id)
                if result is not None and result.status(now) == "RUNNING":
                    result.timeline.ended_at = now
                    ended.append(result_id)
            return Ended(ended, [i for i in ids if i not in ended])
