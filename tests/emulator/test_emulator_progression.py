"""Statuses advance with time (computed from timestamps) and outcome directives decide verdicts."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from support.waiting import wait_until

from agentsim_local.emulator import EmulatorServer

BOOK = "9ad09ad3-9c22-441e-ae35-c05016a09786"
ANGRY = "5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"
DROPPED = "c1a3e2f4-1111-4a4a-8b8b-0c0c0c0c0c01"
AGENT = "1726005822670-239735712159542050"


def _client(emulator: EmulatorServer, provider: str) -> httpx.Client:
    headers = (
        {"X-API-Key": "k"} if provider == "bluejay" else {"Authorization": "Bearer test-key-1"}
    )
    return httpx.Client(base_url=emulator.base_urls[provider], headers=headers)  # type: ignore[index]


@pytest.fixture
def omni(emulator: EmulatorServer) -> httpx.Client:
    return _client(emulator, "omnidimension")


@pytest.fixture
def bluejay(emulator: EmulatorServer) -> httpx.Client:
    return _client(emulator, "bluejay")


@pytest.fixture
def synthflow(emulator: EmulatorServer) -> httpx.Client:
    return _client(emulator, "synthflow")


def test_omnidimension_walks_every_status_with_growing_progress(
    emulator: EmulatorServer, omni: httpx.Client
) -> None:
    # Given 3 calls, one at a time, each 0.5 s long
    emulator.configure(queue_seconds=0.2, call_seconds=0.5, summary_seconds=0.3)
    scenarios = [{"name": f"s{i}", "description": "d", "expected_result": "e"} for i in range(3)]
    body = {"name": "x", "agent_id": 7, "concurrent_call_count": 1, "scenarios": scenarios}
    sim_id = omni.post("/simulations", json=body).json()["simulation"]["id"]

    # When it is started and polled until Completed
    omni.post(f"/simulations/{sim_id}/start", json={})
    seen: list[tuple[str, int]] = []

    def poll() -> dict[str, Any]:
        sim: dict[str, Any] = omni.get(f"/simulations/{sim_id}").json()["simulation"]
        seen.append((sim["status"], sim["progress"][0]))
        return sim

    wait_until(poll, lambda s: s["status"] == "Completed")

    # Then it went through each status in order, progress never going back
    statuses = list(dict.fromkeys(s for s, _ in seen))
    assert statuses == ["Pending", "In Progress", "Calculating Summary", "Completed"]
    progress = [p for _, p in seen]
    assert progress == sorted(progress) and progress[-1] == 100
    assert any(0 < p < 100 for p in progress)


def test_omnidimension_in_progress_counters_add_up(
    emulator: EmulatorServer, omni: httpx.Client
) -> None:
    emulator.configure(queue_seconds=0.0, call_seconds=1.0, summary_seconds=0.2)
    scenarios = [{"name": f"s{i}", "description": "d", "expected_result": "e"} for i in range(2)]
    sim_id = omni.post(
        "/simulations",
        json={"name": "x", "agent_id": 7, "concurrent_call_count": 1, "scenarios": scenarios},
    ).json()["simulation"]["id"]
    omni.post(f"/simulations/{sim_id}/start", json={})

    sim = omni.get(f"/simulations/{sim_id}").json()["simulation"]

    assert sim["status"] == "In Progress"
    assert sim["total_records"] == 2
    assert sim["total_simulation_in_progress_records"] == sim["active_calls_count"] == 1
    assert sim["total_simulation_remaining_records"] == 1
    assert sim["can_stop"] is True


def test_omnidimension_can_restart_after_completion(
    emulator: EmulatorServer, omni: httpx.Client
) -> None:
    scenario = {"name": "a", "description": "b", "expected_result": "c"}
    sim_id = omni.post(
        "/simulations", json={"name": "x", "agent_id": 1, "scenarios": [scenario]}
    ).json()["simulation"]["id"]
    omni.post(f"/simulations/{sim_id}/start", json={})
    wait_until(
        lambda: omni.get(f"/simulations/{sim_id}").json()["simulation"]["status"],
        lambda s: s == "Completed",
    )

    again = omni.post(f"/simulations/{sim_id}/start", json={})

    assert again.status_code == 200 and again.json()["simulation"]["status"] == "Pending"


def test_bluejay_results_walk_queued_running_evaluating_completed(
    emulator: EmulatorServer, bluejay: httpx.Client
) -> None:
    emulator.configure(queue_seconds=0.3, call_seconds=0.4, summary_seconds=0.3)
    sim_id = bluejay.post("/v1/create-simulation", json={"agent_id": "5"}).json()["simulation_id"]
    run = bluejay.post("/v1/queue-simulation-run", json={"simulation_id": str(sim_id)}).json()
    seen: list[str] = []

    def poll() -> dict[str, Any]:
        answer: dict[str, Any] = bluejay.get(
            f"/v1/retrieve-simulation-results/{run['simulation_run_id']}"
        ).json()
        seen.append(answer["simulation_results"][0]["status"])
        return answer

    done = wait_until(poll, lambda a: a["simulation_run"]["status"] == "COMPLETED")

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


def test_synthflow_simulation_completes_with_criteria_analysis(synthflow: httpx.Client) -> None:
    created = synthflow.post(
        "/simulations", json={"simulation_case_id": BOOK, "target_agent_id": AGENT}
    ).json()

    sim_id = created["response"]["simulation_id"]
    done = wait_until(
        lambda: synthflow.get(f"/simulations/{sim_id}").json()["response"],
        lambda s: s["status"] != "in-progress",
    )

    assert created["status"] == "ok" and created["response"]["status"] == "in-progress"
    assert done["status"] == "completed"
    assert done["success_criteria_analysis"]["success"] is True
    assert len(done["success_criteria_analysis"]["evaluations"]) == 2
    assert done["timeline"] and done["recording_url"] and done["error_info"] is None


@pytest.mark.parametrize(
    ("case_id", "status", "success"), [(ANGRY, "completed", False), (DROPPED, "failed", None)]
)
def test_synthflow_directives_fail_or_error_the_case(
    synthflow: httpx.Client, case_id: str, status: str, success: bool | None
) -> None:
    sim_id = synthflow.post(
        "/simulations", json={"simulation_case_id": case_id, "target_agent_id": AGENT}
    ).json()["response"]["simulation_id"]

    done = wait_until(
        lambda: synthflow.get(f"/simulations/{sim_id}").json()["response"],
        lambda s: s["status"] != "in-progress",
    )

    assert done["status"] == status
    analysis = done["success_criteria_analysis"]
    assert (analysis["success"] if analysis else None) is success
    assert (done["error_info"] is not None) is (status == "failed")


def test_synthflow_given_session_id_groups_runs_and_filters_the_list(
    synthflow: httpx.Client,
) -> None:
    session_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "agentsim:run-123"))
    for case_id in (BOOK, DROPPED):
        synthflow.post(
            "/simulations",
            json={
                "simulation_case_id": case_id,
                "target_agent_id": AGENT,
                "simulation_session_id": session_id,
            },
        )
    synthflow.post("/simulations", json={"simulation_case_id": BOOK, "target_agent_id": AGENT})

    listed = synthflow.get("/simulations", params={"simulation_session_id": session_id}).json()[
        "response"
    ]
    session = wait_until(
        lambda: synthflow.get(f"/simulations/session/{session_id}").json()["response"],
        lambda s: s["pending_simulations"] == 0,
    )

    assert listed["pagination"]["total_records"] == 2
    assert {i["simulation_session_id"] for i in listed["items"]} == {session_id}
    assert (
        session["total_simulations"],
        session["completed_simulations"],
        session["failed_simulations"],
    ) == (
        2,
        1,
        1,
    )


def test_bluejay_num_runs_setting_multiplies_results(bluejay: httpx.Client) -> None:
    sim_id = bluejay.post(
        "/v1/create-simulation",
        json={"agent_id": "5", "digital_humans_settings": {"num_runs": 2}},
    ).json()["simulation_id"]

    run = bluejay.post("/v1/queue-simulation-run", json={"simulation_id": str(sim_id)}).json()

    assert len(run["simulation_result_ids"]) == 6
