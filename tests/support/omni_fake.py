"""A scripted OmniDimension for unit tests, and the documented example payloads.

`FakeOmni` is an httpx.MockTransport routing by method and path. The payloads come from
OmniDimension's public sources:

- requests: the examples in the docstrings of `simulation.create` and `simulation.update` in the
  official SDK, `omnidimension` 0.6.0 on PyPI, `omnidimension/Simulation/__init__.py`;
- answers: the examples of OmniDimension's OpenAPI, https://docs.omnidim.io/openapi.yaml
  (operations `createSimulation`, `getSimulation`, `updateSimulation`, `listSimulations`,
  `startSimulation`, `stopSimulation`, `deleteSimulation`, `enhancePrompt`, and the voice 404;
  rendered at https://docs.omnidim.io/docs/api-reference/simulation/createSimulation and
  siblings, and generated into GitHub `Omnidim/omnidim-typescript-sdk`,
  `src/generated/types.ts`);
- the 403 without simulation access: quoted by a third-party guide, GitHub `learn876/Voice`,
  `SIMULATION_API_REFERENCE.md` (its `forbidden` slug is ours: nothing public shows one);
- a call recording: the OpenAPI leaves `simulation_call_recording` entries free-form, so ours
  borrow the fields of a call log (`getCallLog` in the same OpenAPI), as the emulator does.

`SEED_*` names hold a published example as published; the others vary it.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
from support.scripted_clients import ProviderAccount, ScriptedClient, ScriptedOperation
from support.scripted_transport import ScriptedTransport, ok  # noqa: F401 (tests import ok here)

from agentsim.providers.omnidimension import (
    OmniDimensionClient,
    OmniDimensionProvider,
    SimulationSpec,
)

API_KEY = "omni-live-secret-key-0123456789abcdef"
BASE_URL = "https://backend.omnidim.io/api/v1"
PREFIX = "/api/v1"


class FakeOmni(ScriptedTransport):
    """Answers each (method, path under /api/v1) from its own script; the last answer repeats."""

    def route(self, path: str) -> str:
        return PREFIX + path

    def not_found(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": "Not found"})


ACCOUNT = ProviderAccount(API_KEY, BASE_URL, OmniDimensionClient, OmniDimensionProvider)
make_client = ACCOUNT.client
make_provider = ACCOUNT.provider


# Requests: the SDK docstrings' examples (create, update) -------------------------------------

SEED_CREATE_REQUEST: dict[str, Any] = {
    "name": "Restaurant Order Taking Test",
    "agent_id": 123,
    "number_of_call_to_make": 1,
    "concurrent_call_count": 3,
    "max_call_duration_in_minutes": 3,
    "scenarios": [
        {
            "name": "Order Pizza",
            "description": "1. Act as a customer wanting to order pizza\n2. Ask for menu items\n"
            "3. Order a large pepperoni pizza\n4. Provide contact details\n"
            "5. End call with thank you",
            "expected_result": "Order should be placed successfully and confirmation provided",
            "selected_voices": [
                {"id": "voice_id_1", "provider": "eleven_labs"},
                {"id": "voice_id_2", "provider": "play_ht"},
            ],
        }
    ],
}

SEED_UPDATE_REQUEST: dict[str, Any] = {
    "name": "Updated Restaurant Test",
    "max_call_duration_in_minutes": 5,
    "scenarios": [
        {
            "name": "Updated Order Pizza",
            "description": "Updated instructions...",
            "expected_result": "Updated expected behavior...",
        }
    ],
}

# Answers: the OpenAPI examples of create and get (identical) and of update -------------------

SEED_SIMULATION: dict[str, Any] = {
    "id": 456,
    "name": "Customer Support Test",
    "bot_id": {"id": 1234, "name": "Customer Support Agent"},
    "scenarios_ids": [],
    "status": "Draft",
    "number_of_call_to_make": 1,
    "concurrent_call_count": 3,
    "max_call_duration_in_minutes": 3,
    "what_went_wrong": False,
    "suggestions_for_improvement": False,
    "prompt_suggestion": False,
    "is_auto_prompt_suggestions_applied": False,
    "how_many_scenario_to_generate": 0,
    "summary": False,
    "analyticsData": {"Positive": 0, "Negative": 0, "Neutral": 0},
    "total_simulation_remaining_records": 0,
    "total_simulation_in_progress_records": 0,
    "total_simulation_finished_records": 0,
    "total_records": 0,
    "progress": [0],
    "create_date": "05/08/2026 09:10:29",
    "simulation_call_recording": [],
    "can_stop": False,
    "active_calls_count": 0,
}
SEED_CREATE_RESPONSE: dict[str, Any] = {"success": True, "simulation": SEED_SIMULATION}
SEED_GET_RESPONSE: dict[str, Any] = {"success": True, "simulation": SEED_SIMULATION}
SEED_UPDATE_RESPONSE: dict[str, Any] = {
    "success": True,
    "simulation": {
        "id": 456,
        "name": "Customer Support Test (Updated)",
        "bot_id": {"id": 1234, "name": "Customer Support Agent"},
        "status": "Draft",
        "number_of_call_to_make": 1,
        "concurrent_call_count": 3,
        "max_call_duration_in_minutes": 5,
    },
}

# Answers shaped after the OpenAPI's other examples (the list example holds no record, ours the
# example simulation; start and enhance-prompt shortened), its documented errors, the 403 -------

LIST_RESPONSE: dict[str, Any] = {"records": [SEED_SIMULATION], "total_records": 0}
DELETE_RESPONSE: dict[str, Any] = {"success": True, "message": "Simulation deleted successfully"}
START_RESPONSE: dict[str, Any] = {
    "success": True,
    "message": "Simulation started successfully",
    "simulation": {"id": 456, "name": "Customer Support Test", "status": "Pending"},
}
STOP_RESPONSE: dict[str, Any] = {
    "success": True,
    "message": "Simulation stopped successfully",
    "disconnect_results": {"successful_disconnects": 0, "failed_disconnects": 0,
                           "pending_stopped": 0},
}  # fmt: skip
STOP_REFUSED: dict[str, Any] = {"success": False, "message": "Simulation is not running"}
ENHANCE_RESPONSE: dict[str, Any] = {
    "success": True,
    "previous_context": [{"title": "Agent prompt", "prompt": "You are a support agent."}],
    "prompt_breakdown": [{"title": "Goal", "prompt": "Confirm the caller's goal first."}],
}
ENHANCE_NOT_COMPLETED: dict[str, Any] = {
    "error": "invalid_state",
    "error_description": "Enhanced prompt suggestions are only available for completed simulations",
}
VOICE_NOT_FOUND: dict[str, Any] = {"error": "Voice not found"}
NO_PERMISSION: dict[str, Any] = {
    "error": "forbidden",
    "error_description": "You do not have permission to make changes to Call Simulation",
}


def simulation(**overrides: Any) -> dict[str, Any]:
    """The documented example simulation with some fields changed."""
    return {**copy.deepcopy(SEED_SIMULATION), **overrides}


def answer(**overrides: Any) -> dict[str, Any]:
    """`{success, simulation}` around `simulation(**overrides)`."""
    return {"success": True, "simulation": simulation(**overrides)}


def scenario_record(scenario_id: int, name: str) -> dict[str, Any]:
    return {
        "id": scenario_id,
        "name": name,
        "description": f"Caller script for {name}",
        "expected_result": f"{name} handled",
    }


def recording(call_id: int, scenario_id: int, name: str | None, **overrides: Any) -> dict[str, Any]:
    """One `simulation_call_recording` entry, shaped as the emulator (and call logs) send it."""
    return {
        "id": call_id,
        "scenario_id": scenario_id,
        "scenario_name": name,
        "call_number": 1,
        "call_status": "completed",
        "recording_url": f"https://cdn.omnidim.example/rec/{call_id}.wav",
        "duration_seconds": 42.5,
        "call_report": {
            "summary": f"The agent handled {name}.",
            "sentiment": "Positive",
            "extracted_variables": {"booked": True},
            "full_conversation": "user: I would like a table\nassistant: Booked for two.",
            "interactions": [
                {"role": "user", "content": "I would like a table"},
                {"role": "assistant", "content": "Booked for two."},
            ],
        },
        **overrides,
    }


# OmniDimension's client as the tests of tests/providers/ that run for each provider call it
SCRIPTED_CLIENT = ScriptedClient(
    "omnidimension", ACCOUNT, FakeOmni,
    auth=lambda key: {"Authorization": f"Bearer {key}", "Accept": "application/json"},
    error_body=lambda message: {"error": "unauthorized", "error_description": message},
    read=ScriptedOperation("GET", "/simulations/456", "get_simulation", (456,), SEED_GET_RESPONSE,
                           lambda answer: answer.status, "Draft"),
    create=ScriptedOperation("POST", "/simulations", "create_simulation",
                             (SimulationSpec.model_validate(SEED_CREATE_REQUEST),),
                             SEED_CREATE_RESPONSE, lambda answer: answer.id, "456"),
    launch=ScriptedOperation("POST", "/simulations/456/start", "start_simulation", (456,),
                             START_RESPONSE, lambda answer: answer.success is True, True),
)  # fmt: skip
