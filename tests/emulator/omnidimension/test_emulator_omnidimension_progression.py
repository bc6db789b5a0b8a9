"""OmniDimension statuses advance with time (read off timestamps), progress never going back."""

from __future__ import annotations

from typing import Any

import httpx
from support.waiting import wait_until

from agentsim_local.emulator import EmulatorServer


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
