"""Fault injection: each kind, its matching rules, and that a faulted call changes no state."""

from __future__ import annotations

import httpx
import pytest
from support.emulator import BLUEJAY, OMNI

from agentsim_local.emulator import EmulatorServer

SCENARIO = {"name": "a", "description": "b", "expected_result": "c"}


def _omni_create(emulator: EmulatorServer) -> httpx.Response:
    return httpx.post(
        emulator.base_urls["omnidimension"] + "/simulations",
        json={"name": "x", "agent_id": 1, "scenarios": [SCENARIO]},
        headers=OMNI,
    )


def _omni_count(emulator: EmulatorServer) -> int:
    answer = httpx.get(emulator.base_urls["omnidimension"] + "/simulations", headers=OMNI)
    total: int = answer.json()["total_records"]
    return total


def test_429_with_retry_after_header(emulator: EmulatorServer) -> None:
    httpx.post(
        emulator.url + "/_emulator/faults",
        json={"provider": "omnidimension", "kind": "429-retry-after", "retry_after": 3, "times": 1},
    )

    throttled = _omni_create(emulator)
    after = _omni_create(emulator)

    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "3"
    assert throttled.json()["error"] == "rate_limited"
    assert after.status_code == 200
    assert _omni_count(emulator) == 1  # the throttled create created nothing


def test_plain_429_has_no_retry_after(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="bluejay", kind="429")

    answer = httpx.get(emulator.base_urls["bluejay"] + "/v1/ping", headers=BLUEJAY)

    assert answer.status_code == 429 and "retry-after" not in answer.headers
    assert answer.json() == {"detail": "Too Many Requests"}


def test_5xx_status_is_configurable(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="synthflow", kind="5xx", status=502)

    answer = httpx.get(
        emulator.base_urls["synthflow"] + "/simulations", headers={"Authorization": "Bearer k"}
    )

    assert answer.status_code == 502


def test_nth_faults_only_the_nth_matching_call(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="omnidimension", kind="5xx", nth=2, method="POST")

    statuses = [_omni_create(emulator).status_code for _ in range(4)]

    assert statuses == [200, 503, 200, 200]


def test_path_and_method_filters(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="omnidimension", kind="5xx", path_contains="/start")

    created = _omni_create(emulator).json()["simulation"]
    base = emulator.base_urls["omnidimension"]
    start = httpx.post(base + f"/simulations/{created['id']}/start", json={}, headers=OMNI)
    status = httpx.get(base + f"/simulations/{created['id']}", headers=OMNI).json()["simulation"]

    assert start.status_code == 503
    assert status["status"] == "Draft"  # a faulted start did not start anything


def test_rate_is_seeded_and_partial(emulator: EmulatorServer) -> None:
    def run() -> list[int]:
        emulator.reset()
        emulator.faults.add(provider="bluejay", kind="5xx", rate=0.5)
        url = emulator.base_urls["bluejay"] + "/v1/ping"
        return [httpx.get(url, headers=BLUEJAY).status_code for _ in range(20)]

    first, second = run(), run()

    assert first == second  # same seed, same sequence
    assert 0 < first.count(503) < 20


def test_times_limits_how_often_a_fault_fires(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="bluejay", kind="429", times=2)
    url = emulator.base_urls["bluejay"] + "/v1/ping"

    statuses = [httpx.get(url, headers=BLUEJAY).status_code for _ in range(3)]

    assert statuses == [429, 429, 200]


def test_html_error_page(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="bluejay", kind="html")

    answer = httpx.get(emulator.base_urls["bluejay"] + "/v1/ping", headers=BLUEJAY)

    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")
    assert "<html>" in answer.text


def test_malformed_body_is_truncated_json_with_200(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="omnidimension", kind="malformed")

    answer = _omni_create(emulator)

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        answer.json()
    emulator.faults.clear()
    assert _omni_count(emulator) == 0


def test_slow_answer_times_out_but_the_call_took_effect(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="omnidimension", kind="slow", delay=1.0, path_contains="/start")
    created = _omni_create(emulator).json()["simulation"]
    base = emulator.base_urls["omnidimension"]

    with pytest.raises(httpx.ReadTimeout):
        httpx.post(base + f"/simulations/{created['id']}/start", json={}, headers=OMNI, timeout=0.3)
    status = httpx.get(base + f"/simulations/{created['id']}", headers=OMNI).json()["simulation"]

    assert status["status"] != "Draft"  # the start really happened


def test_faults_for_one_provider_leave_the_others_alone(emulator: EmulatorServer) -> None:
    emulator.faults.add(provider="synthflow", kind="5xx")

    answer = httpx.get(emulator.base_urls["bluejay"] + "/v1/ping", headers=BLUEJAY)

    assert answer.status_code == 200


def test_invalid_fault_is_rejected_by_the_control_plane(emulator: EmulatorServer) -> None:
    answer = httpx.post(emulator.url + "/_emulator/faults", json={"kind": "teapot"})

    assert answer.status_code == 422
