"""Auth and error bodies: each provider answers in its own documented (or FastAPI) shape."""

from __future__ import annotations

import httpx
import pytest

from agentsim_local.emulator import EmulatorServer, EmulatorSettings

OMNI = {"Authorization": "Bearer omni-test-key"}
BLUEJAY = {"X-API-Key": "bluejay-test-key"}
SYNTHFLOW = {"Authorization": "Bearer synthflow-test-key"}


@pytest.mark.parametrize(
    ("provider", "path", "body"),
    [
        ("omnidimension", "/simulations", {"error": "unauthorized"}),
        ("bluejay", "/v1/get-all-simulations", None),
        ("synthflow", "/simulations", None),
    ],
)
def test_missing_key_gets_401_in_the_provider_shape(
    emulator: EmulatorServer, provider: str, path: str, body: dict[str, str] | None
) -> None:
    answer = httpx.get(emulator.base_urls[provider] + path)  # type: ignore[index]

    assert answer.status_code == 401
    if body is None:
        assert answer.json() == {"detail": "Invalid or missing API key"}
    else:
        assert answer.json()["error"] == "unauthorized" and answer.json()["error_description"]


def test_empty_bearer_token_is_rejected(emulator: EmulatorServer) -> None:
    answer = httpx.get(
        emulator.base_urls["synthflow"] + "/simulations", headers={"Authorization": "Bearer"}
    )

    assert answer.status_code == 401


def test_explicit_keys_restrict_what_is_accepted() -> None:
    settings = EmulatorSettings(api_keys={"bluejay": "the-right-key"})
    with EmulatorServer(port=0, settings=settings) as server:
        url = server.base_urls["bluejay"] + "/v1/ping"
        wrong = httpx.get(url, headers={"X-API-Key": "wrong"})
        right = httpx.get(url, headers={"X-API-Key": "the-right-key"})
        other = httpx.get(server.base_urls["synthflow"] + "/simulations", headers=SYNTHFLOW)

    assert (wrong.status_code, right.status_code, other.status_code) == (401, 200, 200)


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


def test_synthflow_bad_case_uuid_is_422_and_unknown_case_is_404(emulator: EmulatorServer) -> None:
    url = emulator.base_urls["synthflow"] + "/simulations"

    bad = httpx.post(
        url, json={"simulation_case_id": "nope", "target_agent_id": "a"}, headers=SYNTHFLOW
    )
    unknown = httpx.post(
        url,
        json={"simulation_case_id": "00000000-0000-4000-8000-000000000000", "target_agent_id": "a"},
        headers=SYNTHFLOW,
    )

    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "simulation_case_id"]
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
