"""Synthflow refusals: FastAPI 422s for bad bodies, 404 `{detail}` for unknown ids."""

from __future__ import annotations

import httpx
from support.emulator import SYNTHFLOW

from agentsim_local.emulator import EmulatorServer

UNKNOWN_CASE = "00000000-0000-4000-8000-000000000000"


def test_synthflow_bad_case_uuid_is_422(synthflow: httpx.Client) -> None:
    bad = synthflow.post(
        "/simulations", json={"simulation_case_id": "nope", "target_agent_id": "a"}
    )

    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "simulation_case_id"]


def test_synthflow_unknown_case_is_404(synthflow: httpx.Client) -> None:
    unknown = synthflow.post(
        "/simulations", json={"simulation_case_id": UNKNOWN_CASE, "target_agent_id": "a"}
    )

    assert unknown.status_code == 404 and "not found" in unknown.json()["detail"]


def test_synthflow_missing_case_fields_are_422(emulator: EmulatorServer) -> None:
    answer = httpx.post(
        emulator.base_urls["synthflow"] + "/simulation_cases",
        json={"name": "x", "prompt": "y"},
        headers=SYNTHFLOW,
    )

    assert answer.status_code == 422
    locs = {tuple(e["loc"]) for e in answer.json()["detail"]}
    assert {("body", "type"), ("body", "success_criteria"), ("body", "call_success_type")} <= locs
