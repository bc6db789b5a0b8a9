"""OmniDimension refusals: 400 naming the field, 404, in its `{error, error_description}` shape."""

from __future__ import annotations

import httpx
import pytest
from support.emulator import OMNI

from agentsim_local.emulator import EmulatorServer


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "agent_id": "abc"}, "agent_id"),
        ({"name": "x", "agent_id": 1, "number_of_call_to_make": 4}, "number_of_call_to_make"),
        ({"name": "x", "agent_id": 1, "concurrent_call_count": 0}, "concurrent_call_count"),
        (
            {"name": "x", "agent_id": 1, "max_call_duration_in_minutes": 11},
            "max_call_duration_in_minutes",
        ),
        ({"agent_id": 1}, "name"),
        ({"name": "x", "agent_id": 1, "scenarios": [{"name": "s"}]}, "scenarios"),
    ],
)
def test_omnidimension_rejects_bad_create_with_400_naming_the_field(
    emulator: EmulatorServer, body: dict[str, object], field: str
) -> None:
    answer = httpx.post(
        emulator.base_urls["omnidimension"] + "/simulations", json=body, headers=OMNI
    )

    assert answer.status_code == 400
    assert field in answer.json()["error_description"]


def test_omnidimension_unknown_simulation_is_404(emulator: EmulatorServer) -> None:
    answer = httpx.get(emulator.base_urls["omnidimension"] + "/simulations/424242", headers=OMNI)

    assert answer.status_code == 404
    assert answer.json() == {"error": "Simulation not found"}


def test_omnidimension_start_is_refused_while_running(emulator: EmulatorServer) -> None:
    base = emulator.base_urls["omnidimension"]
    scenario = {"name": "a", "description": "b", "expected_result": "c"}
    created = httpx.post(
        base + "/simulations",
        json={"name": "x", "agent_id": 1, "scenarios": [scenario]},
        headers=OMNI,
    ).json()["simulation"]

    first = httpx.post(base + f"/simulations/{created['id']}/start", json={}, headers=OMNI)
    second = httpx.post(base + f"/simulations/{created['id']}/start", json={}, headers=OMNI)

    assert first.status_code == 200
    assert second.status_code == 400 and second.json()["error"] == "invalid_state"


def test_omnidimension_pagesize_out_of_range_is_400(emulator: EmulatorServer) -> None:
    answer = httpx.get(
        emulator.base_urls["omnidimension"] + "/simulations",
        params={"pagesize": 151},
        headers=OMNI,
    )

    assert answer.status_code == 400 and "pagesize" in answer.json()["error_description"]


def test_omnidimension_id_of_non_decimal_digits_is_404_not_500(omni: httpx.Client) -> None:
    answer = omni.get("/simulations/%C2%B2")

    assert answer.status_code == 404
    assert answer.json() == {"error": "Simulation not found"}


def test_omnidimension_pageno_of_non_decimal_digits_is_400_not_500(omni: httpx.Client) -> None:
    answer = omni.get("/simulations", params={"pageno": "²"})

    assert answer.status_code == 400 and "pageno" in answer.json()["error_description"]


def test_omnidimension_body_not_in_utf8_is_400_not_500(omni: httpx.Client) -> None:
    answer = omni.post("/simulations", content=b"\xff")

    assert answer.status_code == 400
    assert answer.json() == {
        "error": "invalid_request",
        "error_description": "Body is not valid JSON",
    }
