"""OmniDimension's HTTP surface: parse the request, call the backend, answer with a view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from agentsim_local.emulator.omnidimension import schemas, views
from agentsim_local.emulator.omnidimension.backend import OmniBackend
from agentsim_local.emulator.omnidimension.records import Simulation
from agentsim_local.emulator.state import Store


def router(store: Store) -> APIRouter:
    backend = OmniBackend(store)
    api = APIRouter(prefix="/api/v1", tags=["omnidimension"])

    def view(sim: Simulation, request: Request) -> dict[str, Any]:
        with store.lock:
            return views.simulation_view(sim, store.now(), str(request.base_url))

    @api.get("/simulations")
    def list_simulations(request: Request) -> dict[str, Any]:
        pageno = schemas.page_param(request.query_params.get("pageno"), "pageno", 1, 1_000_000)
        pagesize = schemas.page_param(request.query_params.get("pagesize"), "pagesize", 10, 150)
        with store.lock:
            page, total = backend.page(pageno, pagesize)
            return {"records": [view(s, request) for s in page], "total_records": total}

    @api.post("/simulations")
    async def create_simulation(request: Request) -> dict[str, Any]:
        body = schemas.parse_body(schemas.CreateIn, await request.body(), required=True)
        sim = backend.create(body)
        return {"success": True, "simulation": view(sim, request)}

    @api.get("/simulations/{simulation_id}")
    def get_simulation(simulation_id: str, request: Request) -> dict[str, Any]:
        sim = backend.get(simulation_id)
        return {"success": True, "simulation": view(sim, request)}

    @api.put("/simulations/{simulation_id}")
    async def update_simulation(simulation_id: str, request: Request) -> dict[str, Any]:
        body = schemas.parse_body(schemas.UpdateIn, await request.body(), required=True)
        sim = backend.update(backend.get(simulation_id), body)
        return {"success": True, "simulation": view(sim, request)}

    @api.delete("/simulations/{simulation_id}")
    def delete_simulation(simulation_id: str) -> dict[str, Any]:
        backend.delete(backend.get(simulation_id))
        return {"success": True, "message": "Simulation deleted successfully"}

    @api.post("/simulations/{simulation_id}/start")
    async def start_simulation(simulation_id: str, request: Request) -> dict[str, Any]:
        body = schemas.parse_body(schemas.StartIn, await request.body(), required=False)
        sim = backend.start(backend.get(simulation_id), body)
        message = "Simulation started successfully"
        return {"success": True, "message": message, "simulation": view(sim, request)}

    @api.post("/simulations/{simulation_id}/stop")
    def stop_simulation(simulation_id: str) -> dict[str, Any]:
        return views.stop_view(backend.stop(backend.get(simulation_id)))

    @api.post("/simulations/{simulation_id}/enhance-prompt")
    def enhance_prompt(simulation_id: str) -> dict[str, Any]:
        return views.enhancement_view(backend.enhance(backend.get(simulation_id)))

    return api
