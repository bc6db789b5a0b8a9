"""A scripted Bluejay for unit tests (an httpx.MockTransport routing by method and path), and
sample bodies from Bluejay's public sources:

- the create-simulation request and answer: the example of the API reference page
  https://docs.getbluejay.ai/api-reference/endpoint/create-simulation;
- the other answers: shaped after the response models of the official SDK, `bluejay-sdk` 0.3.6
  on PyPI (`bluejay/models/`: `simulationpydantic.py`, `evaluation.py`,
  `simulationresultresponse.py`, `simulationresultsresponse.py`, `simulationrunres.py`,
  `digitalhumanslistresponse.py`, `src_api_queue_simulation_run_simulationrunresponse.py`).

`SEED_*` names hold a published example as published; the others vary it.
"""

from __future__ import annotations

from typing import Any

from support.scripted_clients import ProviderAccount, ScriptedClient, ScriptedOperation
from support.scripted_transport import ScriptedTransport, ok

from agentsim.providers.bluejay import BluejayClient, BluejayProvider, SimulationSpec

API_KEY = "bj-live-secret-key-0123456789abcdef"
BASE_URL = "https://api.getbluejay.ai"


class FakeBluejay(ScriptedTransport):
    """Answers each (method, path) from its own script; the last answer repeats."""


ACCOUNT = ProviderAccount(API_KEY, BASE_URL, BluejayClient, BluejayProvider)
make_client = ACCOUNT.client
make_provider = ACCOUNT.provider


# Create: the reference page's example -------------------------------------------------------

SEED_CREATE_REQUEST: dict[str, Any] = {
    "agent_id": "<string>",
    "name": "<string>",
    "description": "<string>",
    "prompt_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "knowledge_base_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "sequential_calling": False,
    "max_concurrent": 250,
    "hangup_on_transfer": False,
    "max_call_duration": 10,
    "max_call_duration_units": "minutes",
    "ringing_timeout": 300,
    "digital_humans_settings": {
        "default_name": "random",
        "default_caller_number": "random",
        "default_language": "random",
        "default_background_noise": "none",
        "first_message": "ai_generated",
        "num_runs": 1,
    },
    "selected_custom_metrics": ["3c90c3cc-0d44-4b50-8888-8dd25736052a"],
    "custom_metrics_failing_threshold": 50,
    "custom_metrics_passing_threshold": 50,
    "always_on": False,
}
SEED_CREATE_RESPONSE: dict[str, Any] = {"simulation_id": 123, "status": "200"}

# Answers, shaped after bluejay-sdk 0.3.6's response models ---------------------------------

QUEUE_RESPONSE: dict[str, Any] = {
    "simulation_run_id": "789",
    "simulation_result_ids": ["1001", "1002", "1003"],
    "agent_id": "12",
    "status": "success",
}


def simulation(**overrides: Any) -> dict[str, Any]:
    return {
        "id": 123,
        "agent_id": 12,
        "name": "Checkout flow",
        "type": "max_concurrent",
        "created_at": "2025-11-20T10:00:00Z",
        "settings": {},
        "max_concurrent": 5,
        **overrides,
    }


def evaluation(goal: bool | None, reasoning: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "agent_speak_percentage": 41.5,
        "avg_agent_latency": 812.0,
        "goal_success": goal,
        "goal_reasoning": reasoning or None,
        **extra,
    }


def result(
    result_id: int, status: str | None, *evaluations: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "id": result_id,
        "digital_human_id": 40 + result_id % 10,
        "status": status,
        "duration": 61500,
        "start_time": "2025-11-20T10:01:00Z",
        "end_time": "2025-11-20T10:02:01Z",
        "transcript_url": f"https://cdn.example/transcripts/{result_id}.json",
        "audio_url": f"https://cdn.example/audio/{result_id}.wav",
        "evaluations": list(evaluations),
        **extra,
    }


def run_results(status: str | None, *results: dict[str, Any], **run_fields: Any) -> dict[str, Any]:
    return {
        "simulation_run": {
            "id": "789",
            "simulation_id": "123",
            "created_at": "2025-11-20T10:00:30Z",
            "summary": "3 conversations",
            "status": status,
            **run_fields,
        },
        "simulation_results": list(results),
        "status": "200",
    }


def run_record(run_id: int, created_at: str | None, status: str = "RUNNING") -> dict[str, Any]:
    return {"id": run_id, "experiment_id": 123, "created_at": created_at, "status": status}


def listing_runs(*runs: dict[str, Any]) -> FakeBluejay:
    """A Bluejay whose simulation 123 lists `runs` (`run_record`s) as its runs."""
    return FakeBluejay().on(
        "GET", "/v1/get-simulation-runs/123", ok({"simulation_runs": list(runs)})
    )


def digital_humans(*names: tuple[int, str]) -> dict[str, Any]:
    return {
        "digital_humans": [
            {"id": i, "name": n, "intent": "call", "success_criteria": "ok"} for i, n in names
        ],
        "total": len(names),
        "simulation_id": 123,
    }


# Bluejay's client as the tests of tests/providers/ that run for each provider call it
SCRIPTED_CLIENT = ScriptedClient(
    "bluejay", ACCOUNT, FakeBluejay, auth=lambda key: {"X-API-Key": key},
    error_body=lambda message: {"detail": message},
    read=ScriptedOperation("GET", "/v1/retrieve-simulation-results/789",
                           "retrieve_simulation_results", ("789",), run_results("RUNNING"),
                           lambda answer: answer.simulation_run.status, "RUNNING"),
    create=ScriptedOperation("POST", "/v1/create-simulation", "create_simulation",
                             (SimulationSpec(agent_id="12"),), SEED_CREATE_RESPONSE,
                             lambda answer: answer.simulation_id, "123"),
    launch=ScriptedOperation("POST", "/v1/queue-simulation-run", "queue_simulation_run", (123,),
                             QUEUE_RESPONSE, lambda answer: answer.simulation_run_id, "789"),
)  # fmt: skip
