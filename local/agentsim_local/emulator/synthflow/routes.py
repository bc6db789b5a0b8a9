"""Synthflow's HTTP surface: FastAPI validates the request, the backend acts, a view answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from agentsim_local.emulator.state import Store
from agentsim_local.emulator.synthflow import schemas, views
from agentsim_local.emulator.synthflow.backend import SynthflowBackend
from agentsim_local.emulator.synthflow.records import Session, Suite


def paging(
    page_number: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 10,
) -> schemas.Paging:
    """The query's page, as every Synthflow listing takes it."""
    return schemas.Paging(page_number, page_size)


def period(start_date: datetime | None = None, end_date: datetime | None = None) -> schemas.Period:
    """The query's `start_date` / `end_date` filter."""
    return schemas.Period(start_date, end_date)


Page = Annotated[schemas.Paging, Depends(paging)]
Dates = Annotated[schemas.Period, Depends(period)]


def router(store: Store) -> APIRouter:
    backend = SynthflowBackend(store)
    api = APIRouter(prefix="/v2", tags=["synthflow"])

    def session_answer(session: Session, request: Request) -> dict[str, Any]:
        sims = backend.session_simulations(session)
        return views.session_view(session, sims, store.now(), str(request.base_url))

    def suite_answer(suite: Suite, *, full: bool) -> dict[str, Any]:
        return views.suite_view(suite, backend.suite_cases(suite), full=full)

    # Sessions first: `/simulations/sessions` must not be taken for `/simulations/{id}`.
    @api.get("/simulations/sessions")
    def list_sessions(
        request: Request,
        page: Page,
        dates: Dates,
        target_agent_id: str | None = None,
    ) -> dict[str, Any]:
        with store.lock:
            sessions = backend.list_sessions(target_agent_id, dates)
            answers = [session_answer(s, request) for s in sessions]
            return views.ok(views.page(answers, page))

    @api.get("/simulations/session/{simulation_session_id}")
    def get_session(simulation_session_id: UUID, request: Request) -> dict[str, Any]:
        with store.lock:
            return views.ok(session_answer(backend.session(simulation_session_id), request))

    @api.post("/simulations")
    def start_simulation(body: schemas.SimulationCreateIn, request: Request) -> dict[str, Any]:
        with store.lock:
            sim = backend.start(body)
            return views.ok(views.simulation_view(sim, store.now(), str(request.base_url)))

    @api.get("/simulations")
    def list_simulations(
        request: Request,
        page: Page,
        dates: Dates,
        simulation_session_id: UUID | None = None,
        status: schemas.StatusValue | None = None,
        target_agent_id: str | None = None,
    ) -> dict[str, Any]:
        with store.lock:
            sims = backend.list_simulations(simulation_session_id, status, target_agent_id, dates)
            now, base = store.now(), str(request.base_url)
            found = [views.simulation_view(s, now, base) for s in sims]
            return views.ok(views.page(found, page))

    @api.get("/simulations/{simulation_id}")
    def get_simulation(simulation_id: UUID, request: Request) -> dict[str, Any]:
        with store.lock:
            sim = backend.simulation(simulation_id)
            return views.ok(views.simulation_view(sim, store.now(), str(request.base_url)))

    # -- cases ----------------------------------------------------------------------------

    @api.post("/simulation_cases")
    def create_case(body: schemas.CaseIn) -> dict[str, Any]:
        return views.ok({"simulation_case": views.case_view(backend.create_case(body))})

    @api.get("/simulation_cases")
    def list_cases(
        page: Page,
        search: str | None = None,
        simulation_case_type: schemas.CaseType | None = None,
        suite_id: UUID | None = None,
    ) -> dict[str, Any]:
        with store.lock:
            cases = backend.list_cases(search, simulation_case_type, suite_id)
            found = [views.case_view(c) for c in cases]
            return views.ok(views.page(found, page))

    @api.get("/simulation_cases/by_agent")
    def cases_by_agent(agent_id: str) -> dict[str, Any]:
        with store.lock:
            return views.ok([views.case_view(c) for c in backend.cases_of_agent(agent_id)])

    @api.get("/simulation_cases/{case_id}")
    def get_case(case_id: UUID) -> dict[str, Any]:
        with store.lock:
            return views.ok(views.case_view(backend.case(case_id)))

    @api.put("/simulation_cases/{case_id}")
    def update_case(case_id: UUID, body: schemas.CaseUpdateIn) -> dict[str, Any]:
        return views.ok(views.case_view(backend.update_case(case_id, body)))

    @api.delete("/simulation_cases/{case_id}", status_code=204)
    def delete_case(case_id: UUID) -> Response:
        backend.delete_case(case_id)
        return Response(status_code=204)

    # -- suites ---------------------------------------------------------------------------

    @api.post("/simulation_suites")
    def create_suite(body: schemas.SuiteIn) -> dict[str, Any]:
        with store.lock:
            return views.ok(suite_answer(backend.create_suite(body), full=True))

    @api.get("/simulation_suites")
    def list_suites(
        page: Page,
        search: str | None = None,
        model_ids: Annotated[list[str] | None, Query()] = None,
    ) -> dict[str, Any]:
        with store.lock:
            suites = [suite_answer(s, full=False) for s in backend.list_suites(search, model_ids)]
            return views.ok(views.suite_page(suites, page))

    @api.get("/simulation_suites/{suite_id}")
    def get_suite(suite_id: UUID) -> dict[str, Any]:
        with store.lock:
            return views.ok(suite_answer(backend.suite(suite_id), full=True))

    @api.put("/simulation_suites/{suite_id}")
    def update_suite(suite_id: UUID, body: schemas.SuiteUpdateIn) -> dict[str, Any]:
        with store.lock:
            return views.ok(suite_answer(backend.update_suite(suite_id, body), full=True))

    @api.delete("/simulation_suites/{suite_id}", status_code=204)
    def delete_suite(suite_id: UUID) -> Response:
        backend.delete_suite(suite_id)
        return Response(status_code=204)

    @api.post("/simulation_suites/{suite_id}/execute")
    def execute_suite(
        suite_id: UUID,
        target_agent_id: Annotated[str, Query(min_length=1)],
        max_turns: Annotated[int, Query(ge=10, le=50)] = 20,
    ) -> dict[str, Any]:
        return views.execution_view(backend.execute(suite_id, target_agent_id))

    return api
