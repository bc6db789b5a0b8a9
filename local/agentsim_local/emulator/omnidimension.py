"""OmniDimension simulations under `/api/v1` (the official SDK's paths and shapes).

Errors are `{error, error_description}` with 400/404, never FastAPI 422s, so bodies are
validated by hand with pydantic and the first problem is reported naming the field.
Lifecycle: Draft -> (start) Pending -> In Progress -> Calculating Summary -> Completed, or
Stopped. Calls run in waves of `concurrent_call_count`, each `call_seconds` long.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from agentsim_local.emulator.directives import Outcome, outcome
from agentsim_local.emulator.errors import ProviderHTTPError, error_body
from agentsim_local.emulator.state import Durations, Store

RUNNING = ("Pending", "In Progress", "Calculating Summary")
STARTABLE = ("Draft", "Stopped", "Completed")


class Voice(BaseModel):
    id: str
    provider: str  # the OpenAPI and SDK enums disagree: accept any string


class ScenarioIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: StrictInt | None = None
    name: str
    description: str
    expected_result: str
    selected_voices: list[Voice] | None = None


class CreateIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    agent_id: StrictInt
    number_of_call_to_make: StrictInt = Field(default=1, ge=1, le=3)
    concurrent_call_count: StrictInt = Field(default=3, ge=1, le=3)
    max_call_duration_in_minutes: StrictInt = Field(default=3, ge=1, le=10)
    scenarios: list[ScenarioIn] | None = None


class UpdateIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str | None = Field(default=None, min_length=1)
    agent_id: StrictInt | None = None
    number_of_call_to_make: StrictInt | None = Field(default=None, ge=1, le=3)
    concurrent_call_count: StrictInt | None = Field(default=None, ge=1, le=3)
    max_call_duration_in_minutes: StrictInt | None = Field(default=None, ge=1, le=10)
    scenarios: list[ScenarioIn] | None = None


class StartIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    scenarios: list[ScenarioIn] | None = None


@dataclass
class Call:
    """One planned call of a started simulation."""

    index: int
    scenario: dict[str, Any]
    outcome: Outcome
    start: float  # seconds after the simulation started
    end: float


@dataclass
class Run:
    started_at: float
    durations: Durations
    calls: list[Call]
    stopped_at: float | None = None
    disconnect: dict[str, int] = field(default_factory=dict)

    @property
    def calls_end(self) -> float:
        return max((c.end for c in self.calls), default=self.durations.queue)

    def status(self, now: float) -> str:
        elapsed = now - self.started_at
        if self.stopped_at is not None and now >= self.stopped_at:
            return "Stopped"
        if elapsed < self.durations.queue:
            return "Pending"
        if elapsed < self.calls_end:
            return "In Progress"
        if elapsed < self.calls_end + self.durations.summary:
            return "Calculating Summary"
        return "Completed"

    def elapsed(self, now: float) -> float:
        until = now if self.stopped_at is None else min(now, self.stopped_at)
        return until - self.started_at


@dataclass
class Simulation:
    id: int
    name: str
    agent_id: int
    number_of_call_to_make: int
    concurrent_call_count: int
    max_call_duration_in_minutes: int
    scenarios: list[dict[str, Any]]
    created_at: float
    run: Run | None = None


def _refused(slug: str, message: str) -> ProviderHTTPError:
    """A 400 answer in OmniDimension's shape, `{error, error_description}`."""
    return ProviderHTTPError(400, error_body("omnidimension", slug, message))


class OmniBackend:
    """OmniDimension state and behaviour, independent of HTTP."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.simulations: dict[int, Simulation] = {}
        store.on_reset(self.simulations.clear)

    # -- lookups and validation ---------------------------------------------------------

    def get(self, simulation_id: str) -> Simulation:
        sim = self.simulations.get(int(simulation_id)) if simulation_id.isdigit() else None
        if sim is None:
            raise ProviderHTTPError(404, {"error": "Simulation not found"})
        return sim

    def _scenarios(
        self, items: list[ScenarioIn], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        known = {s["id"]: s for s in existing}
        result: list[dict[str, Any]] = []
        for item in items:
            if item.id is not None and item.id not in known:
                raise _refused("invalid_request", f"Scenario {item.id} not found")
            scenario_id = (
                item.id if item.id is not None else self.store.next_id("omni-scenario", 5001)
            )
            data = item.model_dump(exclude_none=True, exclude={"id"})
            result.append({"id": scenario_id, **data})
        return result

    # -- operations ---------------------------------------------------------------------

    def create(self, body: CreateIn) -> Simulation:
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
            self.simulations[sim.id] = sim
            return sim

    def update(self, sim: Simulation, body: UpdateIn) -> Simulation:
        with self.store.lock:
            if self.status(sim) in RUNNING:
                raise _refused("invalid_state", "Cannot update a simulation that is in progress")
            fields = body.model_dump(exclude_none=True, exclude={"scenarios"})
            for name in (
                "name",
                "agent_id",
                "number_of_call_to_make",
                "concurrent_call_count",
                "max_call_duration_in_minutes",
            ):
                if name in fields:
                    setattr(sim, name, fields[name])
            if body.scenarios is not None:
                sim.scenarios = self._scenarios(body.scenarios, sim.scenarios)
            return sim

    def start(self, sim: Simulation, body: StartIn) -> Simulation:
        with self.store.lock:
            status = self.status(sim)
            if status not in STARTABLE:
                raise _refused("invalid_state", f"Simulation cannot be started while {status}")
            if body.scenarios is not None:
                sim.scenarios = self._scenarios(body.scenarios, sim.scenarios)
            if not sim.scenarios:
                raise _refused("invalid_request", "Simulation has no scenarios to run")
            sim.run = self._plan(sim)
            return sim

    def _plan(self, sim: Simulation) -> Run:
        durations = self.store.durations()
        calls: list[Call] = []
        for scenario in sim.scenarios:
            verdict = outcome(
                scenario["name"], scenario["description"], scenario["expected_result"]
            )
            for _ in range(sim.number_of_call_to_make):
                index = len(calls)
                wave = index // sim.concurrent_call_count
                start = durations.queue + wave * durations.call
                calls.append(Call(index, scenario, verdict, start, start + durations.call))
        return Run(self.store.now(), durations, calls)

    def stop(self, sim: Simulation) -> dict[str, Any]:
        with self.store.lock:
            now = self.store.now()
            status = self.status(sim)
            if sim.run is None or status not in RUNNING:
                return {
                    "success": False,
                    "message": f"Simulation is not running (status: {status})",
                }
            elapsed = sim.run.elapsed(now)
            active = sum(1 for c in sim.run.calls if c.start <= elapsed < c.end)
            pending = sum(1 for c in sim.run.calls if elapsed < c.start)
            sim.run.stopped_at = now
            sim.run.disconnect = {
                "successful_disconnects": active,
                "failed_disconnects": 0,
                "pending_stopped": pending,
            }
            return {
                "success": True,
                "message": "Simulation stopped successfully",
                "disconnect_results": sim.run.disconnect,
            }

    def delete(self, sim: Simulation) -> None:
        with self.store.lock:
            self.simulations.pop(sim.id, None)

    def status(self, sim: Simulation) -> str:
        return "Draft" if sim.run is None else sim.run.status(self.store.now())

    # -- views --------------------------------------------------------------------------

    def view(self, sim: Simulation, base_url: str) -> dict[str, Any]:
        with self.store.lock:
            now = self.store.now()
            status = self.status(sim)
            calls = sim.run.calls if sim.run else []
            elapsed = sim.run.elapsed(now) if sim.run else 0.0
            finished = [c for c in calls if c.end <= elapsed]
            active = [c for c in calls if c.start <= elapsed < c.end]
            total = len(calls)
            completed = status == "Completed"
            recordings = [_recording(sim, c, base_url) for c in finished]
            failing = sorted({c.scenario["name"] for c in finished if c.outcome == "fail"})
            positive = sum(1 for c in finished if c.outcome != "fail")
            return {
                "id": sim.id,
                "name": sim.name,
                "bot_id": {"id": sim.agent_id, "name": f"Agent {sim.agent_id}"},
                "scenarios_ids": [dict(s) for s in sim.scenarios],
                "status": status,
                "number_of_call_to_make": sim.number_of_call_to_make,
                "concurrent_call_count": sim.concurrent_call_count,
                "max_call_duration_in_minutes": sim.max_call_duration_in_minutes,
                "what_went_wrong": _what_went_wrong(failing) if completed else False,
                "suggestions_for_improvement": _suggestions(failing) if completed else False,
                "prompt_suggestion": "Confirm the caller's goal before acting."
                if completed
                else False,
                "is_auto_prompt_suggestions_applied": False,
                "how_many_scenario_to_generate": 0,
                "summary": _summary(len(finished), failing) if completed else False,
                "analyticsData": {
                    "Positive": positive,
                    "Negative": len(finished) - positive,
                    "Neutral": 0,
                },
                "total_simulation_remaining_records": total - len(finished) - len(active),
                "total_simulation_in_progress_records": len(active),
                "total_simulation_finished_records": len(finished),
                "total_records": total,
                "progress": [_progress(status, len(finished), total)],
                "create_date": datetime.fromtimestamp(sim.created_at, UTC).strftime(
                    "%m/%d/%Y %H:%M:%S"
                ),
                "simulation_call_recording": recordings,
                "can_stop": status in RUNNING,
                "active_calls_count": len(active),
            }

    def enhance(self, sim: Simulation) -> dict[str, Any]:
        if self.status(sim) != "Completed":
            raise _refused(
                "invalid_state",
                "Enhanced prompt suggestions are only available for completed simulations",
            )
        return {
            "success": True,
            "previous_context": [
                {"title": "Agent prompt", "prompt": f"You are agent {sim.agent_id}."}
            ],
            "prompt_breakdown": [
                {"title": "Goal", "prompt": "Confirm the caller's goal before acting."},
                {"title": "Tone", "prompt": "Stay calm and polite with upset callers."},
            ],
        }


def _progress(status: str, finished: int, total: int) -> int:
    if status == "Completed":
        return 100
    if status == "Calculating Summary":
        return 95
    return math.floor(90 * finished / total) if total else 0


def _recording(sim: Simulation, call: Call, base_url: str) -> dict[str, Any]:
    scenario = call.scenario
    failed = call.outcome == "fail"
    summary = (
        f"The agent did not meet the expected result: {scenario['expected_result']}"
        if failed
        else f"The agent met the expected result: {scenario['expected_result']}"
    )
    conversation = [
        {"role": "user", "content": scenario["description"]},
        {
            "role": "assistant",
            "content": "Sorry, I can't help." if failed else "Done, anything else?",
        },
    ]
    return {
        "id": sim.id * 1000 + call.index + 1,
        "scenario_id": scenario["id"],
        "scenario_name": scenario["name"],
        "call_number": call.index + 1,
        "call_status": "completed",
        "recording_url": f"{base_url}_emulator/media/omnidimension/{sim.id}/{call.index + 1}.wav",
        "duration_seconds": round(call.end - call.start, 3),
        "call_report": {
            "summary": summary,
            "sentiment": "Negative" if failed else "Positive",
            "extracted_variables": {},
            "full_conversation": "\n".join(f"{m['role']}: {m['content']}" for m in conversation),
            "interactions": conversation,
        },
    }


def _summary(calls: int, failing: list[str]) -> str:
    if not failing:
        return f"All {calls} calls met their expected results."
    return f"{calls} calls made; expected results not met in: {', '.join(failing)}."


def _what_went_wrong(failing: list[str]) -> str:
    if not failing:
        return "Nothing went wrong."
    return "The agent did not reach the expected result in: " + ", ".join(failing) + "."


def _suggestions(failing: list[str]) -> str:
    return "None." if not failing else "Handle these scenarios explicitly: " + ", ".join(failing)


def _parse[M: BaseModel](model: type[M], raw: bytes, *, required: bool) -> M:
    """Validate a JSON body, answering 400 `{error, error_description}` naming the field."""
    try:
        data: Any = json.loads(raw) if raw.strip() else ({} if not required else None)
    except json.JSONDecodeError:
        raise _refused("invalid_request", "Body is not valid JSON") from None
    if not isinstance(data, dict):
        raise _refused("invalid_request", "Body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        slug = f"invalid_{first['loc'][0]}" if first["loc"] else "invalid_request"
        raise _refused(slug, f"{where}: {first['msg']}") from None


def _page(value: str | None, name: str, default: int, high: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise _refused("invalid_request", f"{name} must be between 1 and {high}")
    return int(value)


def router(store: Store) -> APIRouter:
    backend = OmniBackend(store)
    api = APIRouter(prefix="/api/v1", tags=["omnidimension"])

    @api.get("/simulations")
    def list_simulations(request: Request) -> dict[str, Any]:
        pageno = _page(request.query_params.get("pageno"), "pageno", 1, 1_000_000)
        pagesize = _page(request.query_params.get("pagesize"), "pagesize", 10, 150)
        with store.lock:
            sims = sorted(backend.simulations.values(), key=lambda s: s.id, reverse=True)
            page = sims[(pageno - 1) * pagesize : pageno * pagesize]
            records = [backend.view(s, str(request.base_url)) for s in page]
        return {"records": records, "total_records": len(sims)}

    @api.post("/simulations")
    async def create_simulation(request: Request) -> dict[str, Any]:
        body = _parse(CreateIn, await request.body(), required=True)
        sim = backend.create(body)
        return {"success": True, "simulation": backend.view(sim, str(request.base_url))}

    @api.get("/simulations/{simulation_id}")
    def get_simulation(simulation_id: str, request: Request) -> dict[str, Any]:
        sim = backend.get(simulation_id)
        return {"success": True, "simulation": backend.view(sim, str(request.base_url))}

    @api.put("/simulations/{simulation_id}")
    async def update_simulation(simulation_id: str, request: Request) -> dict[str, Any]:
        body = _parse(UpdateIn, await request.body(), required=True)
        sim = backend.update(backend.get(simulation_id), body)
        return {"success": True, "simulation": backend.view(sim, str(request.base_url))}

    @api.delete("/simulations/{simulation_id}")
    def delete_simulation(simulation_id: str) -> dict[str, Any]:
        backend.delete(backend.get(simulation_id))
        return {"success": True, "message": "Simulation deleted successfully"}

    @api.post("/simulations/{simulation_id}/start")
    async def start_simulation(simulation_id: str, request: Request) -> dict[str, Any]:
        body = _parse(StartIn, await request.body(), required=False)
        sim = backend.start(backend.get(simulation_id), body)
        view = backend.view(sim, str(request.base_url))
        return {"success": True, "message": "Simulation started successfully", "simulation": view}

    @api.post("/simulations/{simulation_id}/stop")
    def stop_simulation(simulation_id: str) -> dict[str, Any]:
        return backend.stop(backend.get(simulation_id))

    @api.post("/simulations/{simulation_id}/enhance-prompt")
    def enhance_prompt(simulation_id: str) -> dict[str, Any]:
        return backend.enhance(backend.get(simulation_id))

    return api
