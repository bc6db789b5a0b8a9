"""Bluejay results advance with time; directives and run counts decide how many end how."""

from __future__ import annotations

from typing import Any

import httpx
from support.waiting import wait_until

from agentsim_local.emulator import EmulatorServer


def test_bluejay_results_walk_queued_running_evaluating_completed(
    emulator: EmulatorServer, bluejay: httpx.Client
) -> None:
    # Each status lasts long enough to be seen by a 50 ms poll on a loaded CI.
    emulator.configure(queue_seconds=0.8, call_seconds=0.8, summary_seconds=0.8)
    sim_id = bluejay.post("/v1/create-simulation", json={"agent_id": "5"}).json()["simulation_id"]
    run = bluejay.post("/v1/queue-simulation-run", json={"simulation_id": str(sim_id)}).json()
    seen: list[str] = []

    def poll() -> dict[str, Any]:
        answer: dict[str, Any] = bluejay.get(
            f"/v1/retrieve-simulation-results/{run['simulation_run_id']}"
        ).json()
        seen.append(answer["simulation_results"][0]["status"])
        return answer

    done = wait_until(poll, lambda a: a["simulation_run"]["status"] == "COMPLETED", timeout=15.0)

    assert list(dict.fromkeys(seen)) == ["QUEUED", "RUNNING", "EVALUATING", "COMPLETED"]
    assert done["simulation_run"]["summary"] == "2 of 3 tests passed"


def test_bluejay_error_directive_ends_incompleted(bluejay: httpx.Client) -> None:
    sim_id = bluejay.post("/v1/create-simulation", json={"agent_id": "5"}).json()["simulation_id"]
    human = bluejay.post(
        "/v1/create-digital-human",
        json={
            "digital_human": {
                "phone_number": "+15550000001",
                "name": "Line noise [emulator:error]",
            },
            "simulation_ids": [sim_id],
        },
    ).json()["digital_human"]
    run = bluejay.post("/v1/queue-simulation-run", json={"simulation_id": str(sim_id)}).json()

    done = wait_until(
        lambda: bluejay.get(f"/v1/retrieve-simulation-results/{run['simulation_run_id']}").json(),
        lambda a: a["simulation_run"]["status"] == "COMPLETED",
    )

    # The linked digital human replaced the three defaults
    assert run["simulation_result_ids"] and len(run["simulation_result_ids"]) == 1
    result = done["simulation_results"][0]
    assert result["digital_human_id"] == human["id"]
    assert result["status"] == "INCOMPLETED" and result["evaluations"] == []
    assert done["simulation_run"]["tests_incompleted"] == 1
    assert done["simulation_run"]["tests_passed"] == 0


def test_bluejay_queue_subset_of_digital_humans(bluejay: httpx.Client) -> None:
    sim_id = bluejay.post("/v1/create-simulation", json={"agent_id": "5"}).json()["simulation_id"]
    humans = bluejay.get(f"/v1/digital-humans-by-simulation/{sim_id}").json()["digital_humans"]

    run = bluejay.post(
        "/v1/queue-simulation-run",
        json={
            "simulation_id": str(sim_id),
            "digital_human_ids": [str(humans[0]["id"])],
            "runs_per_digital_human": 2,
        },
    ).json()

    assert len(run["simulation_result_ids"]) == 2


def test_bluejay_num_runs_setting_multiplies_results(bluejay: httpx.Client) -> None:
    sim_id = bluejay.post(
        "/v1/create-simulation",
        json={"agent_id": "5", "digital_humans_settings": {"num_runs": 2}},
    ).json()["simulation_id"]

    run = bluejay.post("/v1/queue-simulation-run", json={"simulation_id": str(sim_id)}).json()

    assert len(run["simulation_result_ids"]) == 6
