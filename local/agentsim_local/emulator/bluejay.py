"""Bluejay simulations under `/v1` (the OpenAPI / bluejay-sdk 0.3.6 paths and shapes).

Bodies are pydantic models, so invalid input gets FastAPI's genuine 422
`{detail: [{loc: ["body", field], msg, type}]}`; unknown ids get 404 `{detail}`.
Every new simulation gets three default digital humans; linking any other digital human to it
(create-digital-human / add-digital-humans) replaces those defaults. A queued run holds one
result per digital human and run (runs: the request's `runs_per_digital_human`, else the
digital human's `num_runs`, else the simulation's `runs_per_digital_human` or
`digital_humans_settings.num_runs`, else 1). Results go QUEUED -> RUNNING -> EVALUATING ->
COMPLETED (INCOMPLETED for `[emulator:error]`); the run goes RUNNING -> COMPLETED.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agentsim_local.emulator.directives import Outcome, outcome
from agentsim_local.emulator.state import Store, Timeline, iso

TERMINAL = ("COMPLETED", "INCOMPLETED")
DEFAULT_HUMANS = (
    ("Polite caller", "Book an appointment for next Tuesday morning.", "Appointment booked"),
    ("Confused caller", "Ask about opening hours, mixing up the days.", "Correct hours given"),
    (
        "Impatient caller [emulator:fail]",
        "Demand a refund immediately and interrupt often.",
        "Caller calmed down and refund explained",
    ),
)


class DigitalHumansSettingsIn(BaseModel):
    default_name: str | None = "random"
    default_caller_number: str | None = "random"
    default_language: str | None = "random"
    default_background_noise: str | None = "none"
    first_message: str | None = "ai_generated"
    num_runs: int | None = Field(default=1, ge=1)


class CreateSimulationIn(BaseModel):
    agent_id: str
    name: str | None = None
    description: str | None = None
    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    sequential_calling: bool | None = False
    max_concurrent: int | None = Field(default=None, gt=0, le=500)
    hangup_on_transfer: bool | None = False
    max_call_duration: int | None = Field(default=10, gt=0)
    max_call_duration_units: Literal["minutes", "seconds"] | None = "minutes"
    ringing_timeout: int | None = Field(default=300, ge=0)
    digital_humans_settings: DigitalHumansSettingsIn | None = None
    selected_custom_metrics: list[UUID] | None = None
    custom_metrics_failing_threshold: int | None = Field(default=None, ge=0, le=100)
    custom_metrics_passing_threshold: int | None = Field(default=None, ge=0, le=100)
    runs_per_digital_human: int | None = Field(default=None, ge=1)
    always_on: bool | None = False

    @field_validator("agent_id")
    @classmethod
    def _numeric(cls, value: str) -> str:
        if not value.strip().isdigit():
            raise ValueError("agent_id must be a numeric agent id")
        return value.strip()


class UpdateSimulationIn(BaseModel):
    name: str | None = None
    description: str | None = None
    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    max_concurrent: int | None = Field(default=None, gt=0, le=500)
    hangup_on_transfer: bool | None = None
    max_call_duration: int | None = Field(default=None, gt=0)
    max_call_duration_units: Literal["minutes", "seconds"] | None = None
    max_turns: int | None = Field(default=None, gt=0)
    ringing_timeout: int | None = Field(default=None, ge=0)
    digital_humans_settings: dict[str, Any] | None = None
    selected_custom_metrics: list[UUID] | None = None
    custom_metrics_failing_threshold: int | None = Field(default=None, ge=0, le=100)
    custom_metrics_passing_threshold: int | None = Field(default=None, ge=0, le=100)
    runs_per_digital_human: int | None = Field(default=None, ge=1)
    tags: list[str] | None = None
    pinned: bool | None = None
    always_on: bool | None = None


class QueueRunIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    simulation_id: str
    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    digital_human_ids: list[str] | None = None
    phone_number: str | None = None
    sip_uri: str | None = None
    runs_per_digital_human: int | None = Field(default=None, ge=1)


class EndConversationsIn(BaseModel):
    test_result_ids: list[int] = Field(min_length=1)


class DigitalHumanIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    phone_number: str
    name: str | None = None
    intent: str = ""
    success_criteria: str = ""
    num_runs: int | None = Field(default=None, ge=1)


class CreateDigitalHumanIn(BaseModel):
    digital_human: DigitalHumanIn
    simulation_ids: list[int] | None = None


class DigitalHumanIdsIn(BaseModel):
    digital_human_ids: list[int] = Field(min_length=1)


@dataclass
class DigitalHuman:
    id: int
    name: str | None
    intent: str
    success_criteria: str
    phone_number: str
    created_at: float
    extra: dict[str, Any] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        return {
            **self.extra,
            "id": self.id,
            "name": self.name,
            "intent": self.intent,
            "success_criteria": self.success_criteria,
            "phone_number": self.phone_number,
            "created_at": iso(self.created_at),
        }


@dataclass
class Simulation:
    id: int
    agent_id: int
    name: str
    created_at: float
    fields: dict[str, Any]
    human_ids: list[int]
    default_humans: bool = True

    def view(self) -> dict[str, Any]:
        f = self.fields
        return {
            "id": self.id,
            "agent_id": self.agent_id,
            "name": self.name,
            "type": "sequential" if f.get("sequential_calling") else "parallel",
            "created_at": iso(self.created_at),
            "settings": {k: v for k, v in f.items() if k not in _TOP_LEVEL},
            "max_concurrent": f.get("max_concurrent"),
            "max_turns": f.get("max_turns"),
            "ringing_timeout": f.get("ringing_timeout"),
            "tags": f.get("tags") or [],
            "description": f.get("description"),
            "pinned": bool(f.get("pinned")),
            "always_on": bool(f.get("always_on")),
        }


_TOP_LEVEL = {"name", "description", "max_concurrent", "max_turns", "ringing_timeout", "tags"}
_TOP_LEVEL |= {"pinned", "always_on"}


@dataclass
class Result:
    id: int
    run_id: int
    human: DigitalHuman
    outcome: Outcome
    timeline: Timeline

    def status(self, now: float) -> str:
        phase = self.timeline.phase(now)
        if phase == "queued":
            return "QUEUED"
        if phase == "talking":
            return "RUNNING"
        if self.outcome == "error":
            return "INCOMPLETED"
        return "EVALUATING" if phase == "evaluating" else "COMPLETED"


@dataclass
class Run:
    id: int
    simulation_id: int
    agent_id: int
    created_at: float
    results: list[Result]


class BluejayBackend:
    """Bluejay state and behaviour, independent of HTTP."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.simulations: dict[int, Simulation] = {}
        self.humans: dict[int, DigitalHuman] = {}
        self.runs: dict[int, Run] = {}
        self.results: dict[int, Result] = {}
        store.on_reset(self._clear)

    def _clear(self) -> None:
        for table in (self.simulations, self.humans, self.runs, self.results):
            table.clear()

    # -- lookups ------------------------------------------------------------------------

    def simulation(self, simulation_id: int | str) -> Simulation:
        key = str(simulation_id).strip()
        sim = self.simulations.get(int(key)) if key.isdigit() else None
        if sim is None:
            raise HTTPException(404, "Simulation not found")
        return sim

    def run(self, run_id: int) -> Run:
        if run_id not in self.runs:
            raise HTTPException(404, "Simulation run not found")
        return self.runs[run_id]

    def human(self, human_id: int | str) -> DigitalHuman:
        key = str(human_id).strip()
        human = self.humans.get(int(key)) if key.isdigit() else None
        if human is None:
            raise HTTPException(404, f"Digital human {key} not found")
        return human

    # -- simulations and digital humans -------------------------------------------------

    def create(self, body: CreateSimulationIn) -> Simulation:
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
            self.simulations[sim.id] = sim
            return sim

    def update(self, sim: Simulation, body: UpdateSimulationIn) -> Simulation:
        with self.store.lock:
            changes = body.model_dump(mode="json", exclude_unset=True)
            sim.fields.update(changes)
            if body.name:
                sim.name = body.name
            return sim

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
        self.humans[human.id] = human
        return human

    def create_human(self, body: CreateDigitalHumanIn) -> dict[str, Any]:
        with self.store.lock:
            sims = [self.simulation(i) for i in body.simulation_ids or []]
            data = body.digital_human.model_dump(
                exclude={"name", "intent", "success_criteria", "phone_number"}, exclude_none=True
            )
            d = body.digital_human
            human = self._new_human(d.name, d.intent, d.success_criteria, d.phone_number, **data)
            for sim in sims:
                self.link(sim, [human.id])
            return {"digital_human": human.view(), "simulation_ids": [s.id for s in sims]}

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

    # -- runs ---------------------------------------------------------------------------

    def queue(self, body: QueueRunIn) -> Run:
        with self.store.lock:
            sim = self.simulation(body.simulation_id)
            ids = body.digital_human_ids or [str(h) for h in sim.human_ids]
            humans = [self.human(h) for h in ids]
            if not humans:
                raise HTTPException(400, "Simulation has no digital humans to run")
            settings = sim.fields.get("digital_humans_settings") or {}
            sim_runs = sim.fields.get("runs_per_digital_human") or settings.get("num_runs")
            now, durations = self.store.now(), self.store.durations()
            run = Run(self.store.next_id("bluejay-run", 7001), sim.id, sim.agent_id, now, [])
            for human in humans:
                times = body.runs_per_digital_human or human.extra.get("num_runs") or sim_runs or 1
                for _ in range(int(times)):
                    result = Result(
                        id=self.store.next_id("bluejay-result", 90001),
                        run_id=run.id,
                        human=human,
                        outcome=outcome(human.name, human.intent),
                        timeline=Timeline(now, durations),
                    )
                    run.results.append(result)
                    self.results[result.id] = result
            self.runs[run.id] = run
            return run

    def end_conversations(self, ids: list[int]) -> dict[str, Any]:
        with self.store.lock:
            now = self.store.now()
            ended: list[int] = []
            for result_id in ids:
                result = self.results.get(result_id)
                if result is not None and result.status(now) == "RUNNING":
                    result.timeline.ended_at = now
                    ended.append(result_id)
            failed = [i for i in ids if i not in ended]
            return {
                "success": not failed,
                "ended_count": len(ended),
                "test_result_ids": ended,
                "failed_ids": failed or None,
                "message": f"Ended {len(ended)} conversation(s)"
                + (f"; {len(failed)} not running" if failed else ""),
            }

    # -- views --------------------------------------------------------------------------

    def run_counts(self, run: Run) -> dict[str, Any]:
        now = self.store.now()
        statuses = [(r, r.status(now)) for r in run.results]
        done = [r for r, s in statuses if s in TERMINAL]
        passed = sum(1 for r, s in statuses if s == "COMPLETED" and r.outcome == "pass")
        failed = sum(1 for r, s in statuses if s == "COMPLETED" and r.outcome == "fail")
        complete = len(done) == len(run.results)
        return {
            "status": "COMPLETED" if complete else "RUNNING",
            "summary": f"{passed} of {len(run.results)} tests passed" if complete else None,
            "total_tests": len(run.results),
            "tests_passed": passed,
            "tests_failed": failed,
            "tests_completed": len(done),
            "tests_incompleted": sum(1 for _, s in statuses if s == "INCOMPLETED"),
        }

    def run_view(self, run: Run) -> dict[str, Any]:
        return {
            "id": str(run.id),
            "simulation_id": str(run.simulation_id),
            "created_at": iso(run.created_at),
            **self.run_counts(run),
        }

    def run_list_item(self, run: Run) -> dict[str, Any]:
        return {
            "id": run.id,
            "experiment_id": run.simulation_id,
            "created_at": iso(run.created_at),
            **self.run_counts(run),
            "curr_step_id": None,
            "phone_number": None,
        }

    def result_view(self, result: Result, base_url: str) -> dict[str, Any]:
        now = self.store.now()
        status = result.status(now)
        tl = result.timeline
        started = now >= tl.call_start
        ended = now >= tl.call_end
        media = f"{base_url}_emulator/media/bluejay/results/{result.id}"
        view: dict[str, Any] = {
            "id": result.id,
            "digital_human_id": result.human.id,
            "status": status,
            "duration": round((tl.call_end - tl.call_start) * 1000) if ended else None,
            "start_time": iso(tl.call_start) if started else None,
            "end_time": iso(tl.call_end) if ended else None,
            "transcript_url": f"{media}/transcript.json" if ended else None,
            "audio_url": f"{media}/audio.wav" if ended else None,
            "events": [],
            "tool_calls": [],
            "trace_ids": [],
            "evaluations": [_evaluation(result)] if status == "COMPLETED" else [],
        }
        return view


def _evaluation(result: Result) -> dict[str, Any]:
    success = result.outcome == "pass"
    criteria = result.human.success_criteria or "the caller's goal"
    return {
        "id": f"eval-{result.id}",
        "created_at": iso(result.timeline.evaluated_at),
        "agent_speak_percentage": 52.0,
        "avg_agent_latency": 850.0,
        "goal_success": success,
        "goal_reasoning": (
            f"The agent achieved: {criteria}."
            if success
            else f"The agent did not achieve: {criteria}."
        ),
        "hallucination": False,
        "hallucination_reasoning": "No unsupported claims.",
        "redundancy": False,
        "redundancy_reasoning": "No repetition.",
        "num_turns": 6,
        "call_summary": f"{result.human.name or 'Caller'}: {result.human.intent}",
        "sentiment_label": "positive" if success else "negative",
        "sentiment_score": 0.8 if success else -0.6,
    }


def router(store: Store) -> APIRouter:
    backend = BluejayBackend(store)
    api = APIRouter(prefix="/v1", tags=["bluejay"])

    @api.get("/ping")
    def ping() -> dict[str, Any]:
        return {"status": "ok", "message": "pong"}

    @api.post("/create-simulation")
    def create_simulation(body: CreateSimulationIn) -> dict[str, Any]:
        return {"simulation_id": backend.create(body).id, "status": "200"}

    @api.get("/simulation/{simulation_id}")
    def get_simulation(simulation_id: int) -> dict[str, Any]:
        with store.lock:
            return backend.simulation(simulation_id).view()

    @api.put("/simulation/{simulation_id}")
    def update_simulation(simulation_id: int, body: UpdateSimulationIn) -> dict[str, Any]:
        return backend.update(backend.simulation(simulation_id), body).view()

    @api.delete("/simulation/{simulation_id}")
    def delete_simulation(simulation_id: int) -> dict[str, Any]:
        with store.lock:
            backend.simulations.pop(backend.simulation(simulation_id).id)
        return {
            "message": "Simulation deleted successfully",
            "deleted_simulation_id": simulation_id,
        }

    def _summary(sim: Simulation) -> dict[str, Any]:
        return {
            "id": sim.id,
            "name": sim.name,
            "agent_id": sim.agent_id,
            "created_at": iso(sim.created_at),
            "settings": sim.view()["settings"],
        }

    @api.get("/get-all-simulations")
    def get_all_simulations() -> dict[str, Any]:
        with store.lock:
            return {"simulations": [_summary(s) for s in backend.simulations.values()]}

    @api.get("/get-simulations-by-agent/{agent_id}")
    def get_simulations_by_agent(agent_id: str) -> dict[str, Any]:
        with store.lock:
            sims = [s for s in backend.simulations.values() if str(s.agent_id) == agent_id]
            return {"simulations": [_summary(s) for s in sims]}

    @api.post("/queue-simulation-run")
    def queue_simulation_run(body: QueueRunIn) -> dict[str, Any]:
        run = backend.queue(body)
        return {
            "simulation_run_id": str(run.id),
            "simulation_result_ids": [str(r.id) for r in run.results],
            "agent_id": str(run.agent_id),
            "status": "success",
        }

    @api.get("/get-simulation-runs/{simulation_id}")
    def get_simulation_runs(simulation_id: int) -> dict[str, Any]:
        with store.lock:
            sim = backend.simulation(simulation_id)
            runs = [r for r in backend.runs.values() if r.simulation_id == sim.id]
            return {"simulation_runs": [backend.run_list_item(r) for r in runs]}

    @api.get("/retrieve-simulation-results/{simulation_run_id}")
    def retrieve_simulation_results(simulation_run_id: int, request: Request) -> dict[str, Any]:
        with store.lock:
            run = backend.run(simulation_run_id)
            base = str(request.base_url)
            return {
                "simulation_run": backend.run_view(run),
                "simulation_results": [backend.result_view(r, base) for r in run.results],
                "status": "200",
            }

    @api.get("/retrieve-simulation-result/{test_result_id}")
    def retrieve_simulation_result(test_result_id: int, request: Request) -> dict[str, Any]:
        with store.lock:
            result = backend.results.get(test_result_id)
            if result is None:
                raise HTTPException(404, "Simulation result not found")
            view = backend.result_view(result, str(request.base_url))
            return {"simulation_result": view, "status": "200"}

    @api.post("/end-conversations")
    def end_conversations(body: EndConversationsIn) -> dict[str, Any]:
        return backend.end_conversations(body.test_result_ids)

    @api.post("/create-digital-human")
    def create_digital_human(body: CreateDigitalHumanIn) -> dict[str, Any]:
        return backend.create_human(body)

    @api.get("/digital-human/{digital_human_id}")
    def get_digital_human(digital_human_id: int) -> dict[str, Any]:
        with store.lock:
            return backend.human(digital_human_id).view()

    @api.get("/digital-humans-by-simulation/{simulation_id}")
    def digital_humans_by_simulation(simulation_id: int) -> dict[str, Any]:
        with store.lock:
            sim = backend.simulation(simulation_id)
            humans = [backend.humans[h].view() for h in sim.human_ids if h in backend.humans]
            return {"digital_humans": humans, "total": len(humans), "simulation_id": sim.id}

    @api.post("/simulation/{simulation_id}/add-digital-humans")
    def add_digital_humans(simulation_id: int, body: DigitalHumanIdsIn) -> dict[str, Any]:
        backend.link(backend.simulation(simulation_id), body.digital_human_ids)
        return {"message": f"Added {len(body.digital_human_ids)} digital human(s)"}

    @api.post("/simulation/{simulation_id}/remove-digital-humans")
    def remove_digital_humans(simulation_id: int, body: DigitalHumanIdsIn) -> dict[str, Any]:
        backend.unlink(backend.simulation(simulation_id), body.digital_human_ids)
        return {"message": f"Removed {len(body.digital_human_ids)} digital human(s)"}

    return api
