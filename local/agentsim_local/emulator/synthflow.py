"""Synthflow simulations, cases and suites under `/v2` (docs.synthflow.ai paths and shapes).

Answers are wrapped `{status: "ok", response}` except suite execute (unwrapped, as documented).
Bodies and query parameters are pydantic/FastAPI-validated, so bad input gets a genuine 422
`{detail: [...]}`; unknown ids get 404 `{detail}`. A simulation is `in-progress` for
queue + call + summary seconds, then `completed` (with `success_criteria_analysis`) or, for
`[emulator:error]`, `failed` with `error_info` as soon as its call ends. Fixed-id fixture cases
and a suite are seeded on every reset (see FIXTURE_* below).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field, field_validator

from agentsim_local.emulator.directives import Outcome, outcome
from agentsim_local.emulator.state import Store, Timeline, iso

FIXTURE_AGENT_ID = "1726005822670-239735712159542050"
FIXTURE_SUITE_ID = UUID("0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01")
FIXTURE_CASES = (
    (
        UUID("9ad09ad3-9c22-441e-ae35-c05016a09786"),
        "Book an appointment",
        "You call to book a dental cleaning next Tuesday morning.",
        ["The agent books an appointment", "The agent confirms the date and time"],
    ),
    (
        UUID("5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"),
        "Angry caller [emulator:fail]",
        "You are furious about a double charge and demand a refund.",
        ["The agent de-escalates", "The agent explains the refund process"],
    ),
    (
        UUID("c1a3e2f4-1111-4a4a-8b8b-0c0c0c0c0c01"),
        "Dropped line [emulator:error]",
        "You call from a train and the line keeps dropping.",
        ["The agent completes the call"],
    ),
)
WORKSPACE_ID = "emulator-workspace"
StatusValue = Literal["in-progress", "completed", "failed"]


class SimulationCreateIn(BaseModel):
    simulation_case_id: UUID
    target_agent_id: str = Field(min_length=1)  # documented as uuid, but agent ids are not
    simulation_session_id: UUID | None = None
    custom_variables: dict[str, Any] | None = None


class CaseIn(BaseModel):
    name: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    type: Literal["custom", "agent_based"]
    success_criteria: list[str] = Field(min_length=1)
    call_success_type: Literal["all", "any"]
    suite_id: UUID | None = None
    base_agent_id: str | None = None


class CaseUpdateIn(BaseModel):
    name: str | None = Field(default=None, min_length=1)
    prompt: str | None = Field(default=None, min_length=1)
    success_criteria: list[str] | None = Field(default=None, min_length=1)
    call_success_type: Literal["all", "any"] | None = None
    suite_id: UUID | None = None


class SuiteIn(BaseModel):
    name: str = Field(min_length=1)
    model_id: str = Field(min_length=1)
    language: str = "en-US"

    @field_validator("language")
    @classmethod
    def _not_multi(cls, value: str) -> str:
        if value == "multi":
            raise ValueError("'multi' is not allowed for simulation suites")
        return value


class SuiteUpdateIn(BaseModel):
    name: str | None = Field(default=None, min_length=1)
    model_id: str | None = Field(default=None, min_length=1)


@dataclass
class Case:
    id: UUID
    name: str
    prompt: str
    type: str
    success_criteria: list[str]
    call_success_type: str
    suite_id: UUID | None
    base_agent_id: str | None
    created_at: float
    updated_at: float

    def view(self) -> dict[str, Any]:
        return {
            "simulation_case_id": str(self.id),
            "workspace_id": WORKSPACE_ID,
            "suite_id": str(self.suite_id) if self.suite_id else None,
            "name": self.name,
            "prompt": self.prompt,
            "type": self.type,
            "success_criteria": list(self.success_criteria),
            "call_success_type": self.call_success_type,
            "base_agent": _agent(self.base_agent_id) if self.base_agent_id else None,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


@dataclass
class Suite:
    id: UUID
    name: str
    model_id: str
    language: str
    created_at: float
    updated_at: float


@dataclass
class Simulation:
    id: UUID
    session_id: UUID
    case: Case  # snapshot taken at start
    target_agent_id: str
    custom_variables: dict[str, Any] | None
    outcome: Outcome
    timeline: Timeline

    def status(self, now: float) -> StatusValue:
        phase = self.timeline.phase(now)
        if self.outcome == "error" and phase in ("evaluating", "done"):
            return "failed"
        return "completed" if phase == "done" else "in-progress"


@dataclass
class Session:
    id: UUID
    target_agent_id: str
    created_at: float
    simulation_ids: list[UUID] = field(default_factory=list)


def _agent(agent_id: str) -> dict[str, Any]:
    return {
        "model_id": agent_id,
        "agent_name": f"Agent {agent_id}",
        "agent_type": "outbound",
        "voice_engine_type": "default",
        "phone_number": None,
        "updated_at": None,
        "image_url": None,
    }


def _ok(response: Any) -> dict[str, Any]:
    return {"status": "ok", "response": response}


def _page(items: list[Any], page_number: int, page_size: int) -> dict[str, Any]:
    offset = (page_number - 1) * page_size
    return {
        "pagination": {"total_records": len(items), "limit": page_size, "offset": offset},
        "items": items[offset : offset + page_size],
    }


def _ts(value: datetime | None) -> float | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def _within(ts: float, start: datetime | None, end: datetime | None) -> bool:
    low, high = _ts(start), _ts(end)
    return (low is None or ts >= low) and (high is None or ts <= high)


class SynthflowBackend:
    """Synthflow state and behaviour, independent of HTTP."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cases: dict[UUID, Case] = {}
        self.suites: dict[UUID, Suite] = {}
        self.simulations: dict[UUID, Simulation] = {}
        self.sessions: dict[UUID, Session] = {}
        store.on_reset(self._reset)

    def _reset(self) -> None:
        for table in (self.cases, self.suites, self.simulations, self.sessions):
            table.clear()
        now = self.store.now()
        self.suites[FIXTURE_SUITE_ID] = Suite(
            FIXTURE_SUITE_ID, "Emulator fixture suite", FIXTURE_AGENT_ID, "en-US", now, now
        )
        for offset, (case_id, name, prompt, criteria) in enumerate(FIXTURE_CASES):
            created = now + offset / 1000  # keep the fixture order stable
            self.cases[case_id] = Case(
                case_id,
                name,
                prompt,
                "custom",
                criteria,
                "all",
                FIXTURE_SUITE_ID,
                None,
                created,
                created,
            )

    # -- lookups ------------------------------------------------------------------------

    def case(self, case_id: UUID) -> Case:
        if case_id not in self.cases:
            raise HTTPException(404, f"Simulation case {case_id} not found")
        return self.cases[case_id]

    def suite(self, suite_id: UUID) -> Suite:
        if suite_id not in self.suites:
            raise HTTPException(404, f"Simulation suite {suite_id} not found")
        return self.suites[suite_id]

    def simulation(self, simulation_id: UUID) -> Simulation:
        if simulation_id not in self.simulations:
            raise HTTPException(404, f"Simulation {simulation_id} not found")
        return self.simulations[simulation_id]

    def session(self, session_id: UUID) -> Session:
        if session_id not in self.sessions:
            raise HTTPException(404, f"Simulation session {session_id} not found")
        return self.sessions[session_id]

    # -- operations ---------------------------------------------------------------------

    def start(
        self,
        case: Case,
        target_agent_id: str,
        session_id: UUID | None = None,
        custom_variables: dict[str, Any] | None = None,
    ) -> Simulation:
        with self.store.lock:
            now = self.store.now()
            sid = session_id or uuid.uuid4()
            session = self.sessions.setdefault(sid, Session(sid, target_agent_id, now))
            snapshot = Case(**vars(case))
            sim = Simulation(
                id=uuid.uuid4(),
                session_id=sid,
                case=snapshot,
                target_agent_id=target_agent_id,
                custom_variables=custom_variables,
                outcome=outcome(case.name, case.prompt),
                timeline=Timeline(now, self.store.durations()),
            )
            self.simulations[sim.id] = sim
            session.simulation_ids.append(sim.id)
            return sim

    def suite_cases(self, suite: Suite) -> list[Case]:
        return sorted(
            (c for c in self.cases.values() if c.suite_id == suite.id), key=lambda c: c.created_at
        )

    def suite_view(self, suite: Suite, *, full: bool) -> dict[str, Any]:
        cases = self.suite_cases(suite)
        view: dict[str, Any] = {
            "id": str(suite.id),
            "name": suite.name,
            "model_id": suite.model_id,
            "workspace_id": WORKSPACE_ID,
            "language": suite.language,
            "created_at": iso(suite.created_at),
            "updated_at": iso(suite.updated_at),
            "agent": {"id": suite.model_id, "name": f"Agent {suite.model_id}", "avatar": None},
        }
        if full:
            view["cases"] = [c.view() for c in cases]
        else:
            view["case_summaries"] = [
                {"simulation_case_id": str(c.id), "name": c.name} for c in cases
            ]
        return view

    def view(self, sim: Simulation, base_url: str) -> dict[str, Any]:
        now = self.store.now()
        status = sim.status(now)
        tl = sim.timeline
        talking = now >= tl.call_start
        call_ended = now >= tl.call_end
        updated = max(
            t for t in (tl.started_at, tl.call_start, tl.call_end, tl.evaluated_at) if t <= now
        )
        case = sim.case
        return {
            "simulation_id": str(sim.id),
            "simulation_session_id": str(sim.session_id),
            "simulation_case_id": str(case.id),
            "simulation_case_name": case.name,
            "simulation_case_prompt": case.prompt,
            "success_criteria": list(case.success_criteria),
            "call_success_type": case.call_success_type,
            "persona_agent_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"persona:{case.id}")),
            "persona_phone_number": "+15550199000",
            "target_agent_id": sim.target_agent_id,
            "agent_name": f"Agent {sim.target_agent_id}",
            "agent_avatar_url": None,
            "target_phone_number": "+15550123000",
            "target_call_id": f"call-{sim.id}" if talking else None,
            "custom_variables": sim.custom_variables,
            "status": status,
            "workspace_id": WORKSPACE_ID,
            "created_at": iso(tl.started_at),
            "updated_at": iso(updated),
            "error_info": _error_info() if status == "failed" else None,
            "recording_url": (
                f"{base_url}_emulator/media/synthflow/{sim.id}/recording.wav"
                if call_ended
                else None
            ),
            "timeline": _timeline(sim) if call_ended else None,
            "success_criteria_analysis": _analysis(sim) if status == "completed" else None,
        }

    def session_view(self, session: Session, base_url: str) -> dict[str, Any]:
        now = self.store.now()
        sims = [self.simulations[i] for i in session.simulation_ids if i in self.simulations]
        statuses = [s.status(now) for s in sims]
        return {
            "simulation_session_id": str(session.id),
            "simulations": [self.view(s, base_url) for s in sims],
            "total_simulations": len(sims),
            "completed_simulations": statuses.count("completed"),
            "failed_simulations": statuses.count("failed"),
            "pending_simulations": statuses.count("in-progress"),
        }


def _error_info() -> dict[str, Any]:
    return {
        "message": "The call was disconnected before completion",
        "code": 1006,
        "type": "call_error",
    }


def _timeline(sim: Simulation) -> list[dict[str, Any]]:
    tl = sim.timeline
    turns = [
        ("agent", "Hello, thanks for calling. How can I help?"),
        ("persona", sim.case.prompt),
        (
            "agent",
            "Sorry, I can't help with that." if sim.outcome == "fail" else "Of course, done.",
        ),
    ]
    step = (tl.call_end - tl.call_start) / len(turns)
    return [
        {
            "sender_type": sender,
            "value": value,
            "type": "message",
            "timestamp_datetime": iso(tl.call_start + i * step),
            "timestamp": f"{i * step:.3f}",
        }
        for i, (sender, value) in enumerate(turns)
    ]


def _analysis(sim: Simulation) -> dict[str, Any]:
    success = sim.outcome == "pass"
    evaluations = [
        {
            "success": success,
            "reasoning": f"{'Met' if success else 'Not met'}: {criterion}",
        }
        for criterion in sim.case.success_criteria
    ]
    return {"success": success, "evaluations": evaluations}


PageNumber = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=100)]


def router(store: Store) -> APIRouter:  # noqa: PLR0915 (one closure per endpoint)
    backend = SynthflowBackend(store)
    api = APIRouter(prefix="/v2", tags=["synthflow"])

    # Sessions first: `/simulations/sessions` must not be taken for `/simulations/{id}`.
    @api.get("/simulations/sessions")
    def list_sessions(
        request: Request,
        page_number: PageNumber = 1,
        page_size: PageSize = 10,
        target_agent_id: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> dict[str, Any]:
        with store.lock:
            sessions = [
                s
                for s in sorted(backend.sessions.values(), key=lambda s: s.created_at, reverse=True)
                if (target_agent_id is None or s.target_agent_id == target_agent_id)
                and _within(s.created_at, start_date, end_date)
            ]
            base = str(request.base_url)
            views = [backend.session_view(s, base) for s in sessions]
            return _ok(_page(views, page_number, page_size))

    @api.get("/simulations/session/{simulation_session_id}")
    def get_session(simulation_session_id: UUID, request: Request) -> dict[str, Any]:
        with store.lock:
            session = backend.session(simulation_session_id)
            return _ok(backend.session_view(session, str(request.base_url)))

    @api.post("/simulations")
    def start_simulation(body: SimulationCreateIn, request: Request) -> dict[str, Any]:
        with store.lock:
            case = backend.case(body.simulation_case_id)
            sim = backend.start(
                case, body.target_agent_id, body.simulation_session_id, body.custom_variables
            )
            return _ok(backend.view(sim, str(request.base_url)))

    @api.get("/simulations")
    def list_simulations(
        request: Request,
        page_number: PageNumber = 1,
        page_size: PageSize = 10,
        simulation_session_id: UUID | None = None,
        status: StatusValue | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        target_agent_id: str | None = None,
    ) -> dict[str, Any]:
        with store.lock:
            now = store.now()
            sims = [
                s
                for s in sorted(
                    backend.simulations.values(), key=lambda s: s.timeline.started_at, reverse=True
                )
                if (simulation_session_id is None or s.session_id == simulation_session_id)
                and (status is None or s.status(now) == status)
                and (target_agent_id is None or s.target_agent_id == target_agent_id)
                and _within(s.timeline.started_at, start_date, end_date)
            ]
            base = str(request.base_url)
            return _ok(_page([backend.view(s, base) for s in sims], page_number, page_size))

    @api.get("/simulations/{simulation_id}")
    def get_simulation(simulation_id: UUID, request: Request) -> dict[str, Any]:
        with store.lock:
            return _ok(backend.view(backend.simulation(simulation_id), str(request.base_url)))

    # -- cases ----------------------------------------------------------------------------

    @api.post("/simulation_cases")
    def create_case(body: CaseIn) -> dict[str, Any]:
        with store.lock:
            if body.suite_id is not None:
                backend.suite(body.suite_id)
            now = store.now()
            case = Case(uuid.uuid4(), **body.model_dump(), created_at=now, updated_at=now)
            backend.cases[case.id] = case
            return _ok({"simulation_case": case.view()})

    @api.get("/simulation_cases")
    def list_cases(
        page_number: PageNumber = 1,
        page_size: PageSize = 10,
        search: str | None = None,
        simulation_case_type: Literal["custom", "agent_based"] | None = None,
        suite_id: UUID | None = None,
    ) -> dict[str, Any]:
        with store.lock:
            cases = [
                c.view()
                for c in sorted(backend.cases.values(), key=lambda c: c.created_at)
                if (search is None or search.lower() in c.name.lower())
                and (simulation_case_type is None or c.type == simulation_case_type)
                and (suite_id is None or c.suite_id == suite_id)
            ]
            return _ok(_page(cases, page_number, page_size))

    @api.get("/simulation_cases/by_agent")
    def cases_by_agent(agent_id: str) -> dict[str, Any]:
        with store.lock:
            suites = {s.id for s in backend.suites.values() if s.model_id == agent_id}
            cases = [
                c.view()
                for c in backend.cases.values()
                if c.base_agent_id == agent_id or c.suite_id in suites
            ]
            return _ok(cases)

    @api.get("/simulation_cases/{case_id}")
    def get_case(case_id: UUID) -> dict[str, Any]:
        with store.lock:
            return _ok(backend.case(case_id).view())

    @api.put("/simulation_cases/{case_id}")
    def update_case(case_id: UUID, body: CaseUpdateIn) -> dict[str, Any]:
        with store.lock:
            case = backend.case(case_id)
            if body.suite_id is not None:
                backend.suite(body.suite_id)
            for name, value in body.model_dump(exclude_unset=True).items():
                setattr(case, name, value)
            case.updated_at = store.now()
            return _ok(case.view())

    @api.delete("/simulation_cases/{case_id}", status_code=204)
    def delete_case(case_id: UUID) -> Response:
        with store.lock:
            backend.cases.pop(backend.case(case_id).id)
        return Response(status_code=204)

    # -- suites ---------------------------------------------------------------------------

    @api.post("/simulation_suites")
    def create_suite(body: SuiteIn) -> dict[str, Any]:
        with store.lock:
            now = store.now()
            suite = Suite(uuid.uuid4(), body.name, body.model_id, body.language, now, now)
            backend.suites[suite.id] = suite
            return _ok(backend.suite_view(suite, full=True))

    @api.get("/simulation_suites")
    def list_suites(
        page_number: PageNumber = 1,
        page_size: PageSize = 10,
        search: str | None = None,
        model_ids: Annotated[list[str] | None, Query()] = None,
    ) -> dict[str, Any]:
        with store.lock:
            suites = [
                backend.suite_view(s, full=False)
                for s in sorted(backend.suites.values(), key=lambda s: s.created_at)
                if (search is None or search.lower() in s.name.lower())
                and (not model_ids or s.model_id in model_ids)
            ]
            offset = (page_number - 1) * page_size
            return _ok(
                {
                    "items": suites[offset : offset + page_size],
                    "total": len(suites),
                    "page_number": page_number,
                    "page_size": page_size,
                }
            )

    @api.get("/simulation_suites/{suite_id}")
    def get_suite(suite_id: UUID) -> dict[str, Any]:
        with store.lock:
            return _ok(backend.suite_view(backend.suite(suite_id), full=True))

    @api.put("/simulation_suites/{suite_id}")
    def update_suite(suite_id: UUID, body: SuiteUpdateIn) -> dict[str, Any]:
        with store.lock:
            suite = backend.suite(suite_id)
            for name, value in body.model_dump(exclude_none=True).items():
                setattr(suite, name, value)
            suite.updated_at = store.now()
            return _ok(backend.suite_view(suite, full=True))

    @api.delete("/simulation_suites/{suite_id}", status_code=204)
    def delete_suite(suite_id: UUID) -> Response:
        with store.lock:
            backend.suites.pop(backend.suite(suite_id).id)
        return Response(status_code=204)

    @api.post("/simulation_suites/{suite_id}/execute")
    def execute_suite(
        suite_id: UUID,
        target_agent_id: Annotated[str, Query(min_length=1)],
        max_turns: Annotated[int, Query(ge=10, le=50)] = 20,
    ) -> dict[str, Any]:
        with store.lock:
            suite = backend.suite(suite_id)
            if target_agent_id != suite.model_id:
                raise HTTPException(400, "target_agent_id must be the suite's model_id")
            cases = backend.suite_cases(suite)
            if not cases:
                raise HTTPException(400, "The suite has no simulation cases")
            session_id = uuid.uuid4()
            for case in cases:
                backend.start(case, target_agent_id, session_id)
            return {
                "session_id": str(session_id),
                "suite_id": str(suite.id),
                "suite_name": suite.name,
                "total_cases": len(cases),
                "status": "started",
            }

    return api
