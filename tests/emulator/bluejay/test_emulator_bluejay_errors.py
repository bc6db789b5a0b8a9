"""Bluejay refusals: FastAPI 422s for bad bodies, 404 `{detail}` for unknown ids."""

from __future__ import annotations

import httpx
from support.emulator import BLUEJAY

from agentsim_local.emulator import EmulatorServer


def test_bluejay_missing_agent_id_is_a_fastapi_422(emulator: EmulatorServer) -> None:
    answer = httpx.post(
        emulator.base_urls["bluejay"] + "/v1/create-simulation", json={"name": "x"}, headers=BLUEJAY
    )

    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail[0]["loc"] == ["body", "agent_id"]
    assert {"msg", "type"} <= set(detail[0])


def test_bluejay_unknown_run_is_404_detail(emulator: EmulatorServer) -> None:
    answer = httpx.get(
        emulator.base_urls["bluejay"] + "/v1/retrieve-simulation-results/123456", headers=BLUEJAY
    )

    assert answer.status_code == 404 and isinstance(answer.json()["detail"], str)


def test_bluejay_end_conversations_needs_at_least_one_id(emulator: EmulatorServer) -> None:
    answer = httpx.post(
        emulator.base_urls["bluejay"] + "/v1/end-conversations",
        json={"test_result_ids": []},
        headers=BLUEJAY,
    )

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "test_result_ids"]


def test_bluejay_agent_id_of_non_decimal_digits_is_422_not_500(bluejay: httpx.Client) -> None:
    answer = bluejay.post("/v1/create-simulation", json={"agent_id": "²"})

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "agent_id"]


def test_bluejay_simulation_id_of_non_decimal_digits_is_404_not_500(bluejay: httpx.Client) -> None:
    answer = bluejay.post("/v1/queue-simulation-run", json={"simulation_id": "²"})

    assert answer.status_code == 404 and answer.json() == {"detail": "Simulation not found"}
