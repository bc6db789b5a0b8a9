"""Bluejay's HTTP surface: FastAPI validates the request, the backend acts, a view answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from agentsim_local.emulator.bluejay import schemas, views
from agentsim_local.emulator.bluejay.backend import BluejayBackend
from agentsim_local.emulator.bluejay.webhooks import WebhookSender
from agentsim_local.emulator.state import Store


def router(store: Store) -> APIRouter:
    backend = BluejayBackend(store)
    sender = WebhookSender(store, backend)
    store.on_reset(sender.reset)
    sender.start()
    api = APIRouter(prefix="/v1", tags=["bluejay"])

    @api.get("/ping")
    def ping() -> dict[str, Any]:
        return {"status": "ok", "message": "pong"}

    @api.post("/create-simulation")
    def create_simulation(body: schemas.CreateSimulationIn) -> dict[str, Any]:
        return {"simulation_id": backend.create(body).id, "status": "200"}

    @api.get("/simulation/{simulation_id}")
    def get_simulation(simulation_id: int) -> dict[str, Any]:
        with store.lock:
            return views.simulation_view(backend.simulation(simulation_id))

    @api.put("/simulation/{simulation_id}")
    def update_simulation(simulation_id: int, body: schemas.UpdateSimulationIn) -> dict[str, Any]:
        return views.simulation_view(backend.update(backend.simulation(simulation_id), body))

    @api.delete("/simulation/{simulation_id}")
    def delete_simulation(simulation_id: int) -> dict[str, Any]:
        backend.delete(backend.simulation(simulation_id))
        return {
            "message": "Simulation deleted successfully",
            "deleted_simulation_id": simulation_id,
        }

    @api.get("/get-all-simulations")
    def get_all_simulations() -> dict[str, Any]:
        with store.lock:
            return {
                "simulations": [views.simulation_summary(s) for s in backend.simulations.values()]
            }

    @api.get("/get-simulations-by-agent/{agent_id}")
    def get_simulations_by_agent(agent_id: str) -> dict[str, Any]:
        with store.lock:
            sims = backend.simulations_of_agent(agent_id)
            return {"simulations": [views.simulation_summary(s) for s in sims]}

    @api.post("/queue-simulation-run")
    def queue_simulation_run(body: schemas.QueueRunIn) -> dict[str, Any]:
        return views.queued_view(backend.queue(body))

    @api.get("/get-simulation-runs/{simulation_id}")
    def get_simulation_runs(simulation_id: int) -> dict[str, Any]:
        with store.lock:
            runs = backend.runs_of(backend.simulation(simulation_id))
            now = store.now()
            return {"simulation_runs": [views.run_list_item(r, now) for r in runs]}

    @api.get("/retrieve-simulation-results/{simulation_run_id}")
    def retrieve_simulation_results(simulation_run_id: int, request: Request) -> dict[str, Any]:
        with store.lock:
            run = backend.run(simulation_run_id)
            now, base = store.now(), str(request.base_url)
            return {
                "simulation_run": views.run_view(run, now),
                "simulation_results": [views.result_view(r, now, base) for r in run.results],
                "status": "200",
            }

    @api.get("/retrieve-simulation-result/{test_result_id}")
    def retrieve_simulation_result(test_result_id: int, request: Request) -> dict[str, Any]:
        with store.lock:
            result = backend.result(test_result_id)
            view = views.result_view(result, store.now(), str(request.base_url))
            return {"simulation_result": view, "status": "200"}

    @api.post("/end-conversations")
    def end_conversations(body: schemas.EndConversationsIn) -> dict[str, Any]:
        return views.ended_view(backend.end_conversations(body.test_result_ids))

    @api.post("/create-digital-human")
    def create_digital_human(body: schemas.CreateDigitalHumanIn) -> dict[str, Any]:
        human, sims = backend.create_human(body)
        return {"digital_human": views.human_view(human), "simulation_ids": [s.id for s in sims]}

    @api.get("/digital-human/{digital_human_id}")
    def get_digital_human(digital_human_id: int) -> dict[str, Any]:
        with store.lock:
            return views.human_view(backend.human(digital_human_id))

    @api.get("/digital-humans-by-simulation/{simulation_id}")
    def digital_humans_by_simulation(simulation_id: int) -> dict[str, Any]:
        with store.lock:
            sim = backend.simulation(simulation_id)
            humans = [views.human_view(h) for h in backend.humans_of(sim)]
            return {"digital_humans": humans, "total": len(humans), "simulation_id": sim.id}

    @api.post("/simulation/{simulation_id}/add-digital-humans")
    def add_digital_humans(simulation_id: int, body: schemas.DigitalHumanIdsIn) -> dict[str, Any]:
        backend.link(backend.simulation(simulation_id), body.digital_human_ids)
        return {"message": f"Added {len(body.digital_human_ids)} digital human(s)"}

    @api.post("/simulation/{simulation_id}/remove-digital-humans")
    def remove_digital_humans(
        simulation_id: int, body: schemas.DigitalHumanIdsIn
    ) -> dict[str, Any]:
        backend.unlink(backend.simulation(simulation_id), body.digital_human_ids)
        return {"message": f"Removed {len(body.digital_human_ids)} digital human(s)"}

    return api
