"""Synthflow simulations: fixture cases as they advance with time, directives decide verdicts."""

from __future__ import annotations

import uuid

import httpx
import pytest
from support.waiting import wait_until

BOOK = "9ad09ad3-9c22-441e-ae35-c05016a09786"
ANGRY = "5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"
DROPPED = "c1a3e2f4-1111-4a4a-8b8b-0c0c0c0c0c01"
AGENT = "1726005822670-239735712159542050"


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
