"""A scripted Synthflow for unit tests (an httpx.MockTransport routing by method and path), and
sample bodies from Synthflow's API reference:

- the start request and answer: the example of
  https://docs.synthflow.ai/api-reference/platform-api/simulations/start-simulation;
- simulations, sessions, cases and suites: the response types of its sibling pages
  (`get-simulation`, `get-simulation-session`, `list-simulations`, `get-simulation-case`,
  `get-simulation-suite`, `execute-simulation-suite` under the same path), with our values.

`SEED_*` names hold a published example as published; the others vary it.
"""

from __future__ import annotations

from typing import Any

import httpx
from support.scripted_clients import ProviderAccount
from support.scripted_transport import ScriptedTransport

from agentsim.providers.synthflow import SynthflowClient, SynthflowProvider

API_KEY = "sf-live-secret-key-0123456789abcdef"
BASE_URL = "https://api.synthflow.ai/v2"
CASE_ID = "9ad09ad3-9c22-441e-ae35-c05016a09786"
FAIL_CASE_ID = "5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"
SUITE_ID = "0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01"
AGENT_ID = "1726005822670-239735712159542050"
SIMULATION_ID = "b29da8ff-c89e-4628-94b6-d81193f883c7"
SESSION_ID = "7f1c7a52-3e0f-4f0e-9a51-1b2c3d4e5f60"

SEED_REQUEST = {
    "simulation_case_id": CASE_ID,
    "target_agent_id": AGENT_ID,
    "custom_variables": {"customer_name": "John Doe"},
}
SEED_RESPONSE = {"status": "ok", "response": {"simulation_id": SIMULATION_ID}}


def simulation(
    simulation_id: str = SIMULATION_ID,
    *,
    status: str = "completed",
    success: bool | None = True,
    case_id: str = CASE_ID,
    session_id: str = SESSION_ID,
    created_at: str = "2025-11-21T10:00:05Z",
    **fields: Any,
) -> dict[str, Any]:
    """A full SimulationReadOut as the reference documents it."""
    body: dict[str, Any] = {
        "simulation_id": simulation_id,
        "simulation_session_id": session_id,
        "simulation_case_id": case_id,
        "simulation_case_name": "Book an appointment",
        "simulation_case_prompt": "You want to book a dentist appointment for Tuesday.",
        "success_criteria": ["Agent offers a slot", "Agent confirms the booking"],
        "call_success_type": "all",
        "persona_agent_id": "0c9d1f7e-6a1b-4c2d-8e3f-4a5b6c7d8e9f",
        "persona_phone_number": None,
        "target_agent_id": AGENT_ID,
        "agent_name": "Front desk",
        "agent_avatar_url": None,
        "target_phone_number": None,
        "target_call_id": "call_123",
        "custom_variables": {"customer_name": "John Doe"},
        "status": status,
        "workspace_id": "ws_1",
        "created_at": created_at,
        "updated_at": "2025-11-21T10:02:05Z",
        "error_info": None,
        "recording_url": "https://recordings.example/abc.mp3",
        "timeline": [
            {
                "sender_type": "agent",
                "value": "Hello, how can I help?",
                "type": "message",
                "timestamp_datetime": "2025-11-21T10:00:06Z",
                "timestamp": "1.5",
            },
            {
                "sender_type": "persona",
                "value": "I'd like an appointment.",
                "type": "message",
                "timestamp_datetime": None,
                "timestamp": "4.25",
            },
        ],
        "success_criteria_analysis": (
            None
            if success is None
            else {
                "success": success,
                "evaluations": [
                    {"success": True, "reasoning": "A Tuesday slot was offered."},
                    {"success": success, "reasoning": "The booking was confirmed."},
                ],
            }
        ),
    }
    body.update(fields)
    return body


def failed_simulation(simulation_id: str = SIMULATION_ID, **fields: Any) -> dict[str, Any]:
    return simulation(
        simulation_id,
        status="failed",
        success=None,
        error_info={"message": "Persona call dropped", "code": 500, "type": "call_error"},
        timeline=None,
        recording_url=None,
        **fields,
    )


def session(
    simulations: list[dict[str, Any]],
    *,
    session_id: str = SESSION_ID,
    total: int | None = None,
    completed: int | None = None,
    failed: int | None = None,
    pending: int | None = None,
) -> dict[str, Any]:
    return {
        "simulation_session_id": session_id,
        "simulations": simulations,
        "total_simulations": len(simulations) if total is None else total,
        "completed_simulations": (
            sum(s["status"] == "completed" for s in simulations) if completed is None else completed
        ),
        "failed_simulations": (
            sum(s["status"] == "failed" for s in simulations) if failed is None else failed
        ),
        "pending_simulations": (
            sum(s["status"] not in {"completed", "failed"} for s in simulations)
            if pending is None
            else pending
        ),
    }


def ok(payload: Any) -> httpx.Response:
    """An enveloped 200."""
    return httpx.Response(200, json={"status": "ok", "response": payload})


def listing(items: list[dict[str, Any]]) -> httpx.Response:
    return ok(
        {"pagination": {"total_records": len(items), "limit": 50, "offset": 0}, "items": items}
    )


def case_body(case_id: str = CASE_ID, name: str = "Book an appointment") -> dict[str, Any]:
    return {
        "simulation_case_id": case_id,
        "workspace_id": "ws_1",
        "suite_id": SUITE_ID,
        "name": name,
        "prompt": "You want to book a dentist appointment.",
        "type": "custom",
        "success_criteria": ["Agent offers a slot"],
        "call_success_type": "all",
        "base_agent": None,
    }


def suite_body(model_id: str = AGENT_ID) -> dict[str, Any]:
    return {
        "id": SUITE_ID,
        "name": "Front desk regression",
        "model_id": model_id,
        "workspace_id": "ws_1",
        "language": "en-US",
        "cases": [case_body(), case_body(FAIL_CASE_ID, "Angry caller")],
        "agent": {"id": model_id, "name": "Front desk", "avatar": None},
    }


class FakeSynthflow(ScriptedTransport):
    """Answers by (method, path below /v2/); records every request.

    A route given several answers plays them in order and repeats the last one.
    """

    def route(self, path: str) -> str:
        return path.strip("/")

    def route_of(self, request: httpx.Request) -> str:
        return request.url.path.split("/v2/", 1)[-1].strip("/")

    def not_found(self, request: httpx.Request) -> httpx.Response:
        detail = f"no fake route {request.method} {self.route_of(request)}"
        return httpx.Response(404, json={"detail": detail})


ACCOUNT = ProviderAccount(API_KEY, BASE_URL, SynthflowClient, SynthflowProvider)
make_client = ACCOUNT.client
make_provider = ACCOUNT.provider
