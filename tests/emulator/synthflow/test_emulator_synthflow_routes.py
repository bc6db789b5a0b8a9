"""Synthflow route details: sessions vs simulation ids, suites, cases and suite execution."""

from __future__ import annotations

from typing import Any

import httpx
from support.waiting import wait_until

SUITE = "0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01"
AGENT = "1726005822670-239735712159542050"


def test_sessions_list_is_not_taken_for_a_simulation_id(synthflow: httpx.Client) -> None:
    answer = synthflow.get("/simulations/sessions")

    assert answer.status_code == 200
    assert answer.json()["response"]["items"] == []


def test_executing_the_fixture_suite_runs_its_three_cases(synthflow: httpx.Client) -> None:
    executed = synthflow.post(
        f"/simulation_suites/{SUITE}/execute", params={"target_agent_id": AGENT, "max_turns": 20}
    )

    body = executed.json()
    assert executed.status_code == 200
    assert body["suite_id"] == SUITE and body["total_cases"] == 3 and "response" not in body
    session = wait_until(
        lambda: synthflow.get(f"/simulations/session/{body['session_id']}").json()["response"],
        lambda s: s["pending_simulations"] == 0,
    )
    assert session["total_simulations"] == 3
    assert session["completed_simulations"] == 2 and session["failed_simulations"] == 1
    sessions = synthflow.get("/simulations/sessions", params={"target_agent_id": AGENT}).json()
    assert [s["simulation_session_id"] for s in sessions["response"]["items"]] == [
        body["session_id"]
    ]


def test_execute_for_another_agent_is_400(synthflow: httpx.Client) -> None:
    wrong = synthflow.post(
        f"/simulation_suites/{SUITE}/execute", params={"target_agent_id": "other"}
    )

    assert wrong.status_code == 400


def test_execute_without_an_agent_is_422(synthflow: httpx.Client) -> None:
    missing = synthflow.post(f"/simulation_suites/{SUITE}/execute")

    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == [
        "query",
        "target_agent_id",
    ]


def _suite_with_a_case(synthflow: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    suite = synthflow.post(
        "/simulation_suites", json={"name": "Mine", "model_id": "agent-9"}
    ).json()["response"]
    case = synthflow.post(
        "/simulation_cases",
        json={
            "name": "Reschedule",
            "prompt": "Move my appointment",
            "type": "custom",
            "success_criteria": ["Appointment moved"],
            "call_success_type": "all",
            "suite_id": suite["id"],
        },
    ).json()["response"]["simulation_case"]
    return suite, case


def test_a_created_case_reads_back_and_lists_in_its_suite(synthflow: httpx.Client) -> None:
    suite, case = _suite_with_a_case(synthflow)

    fetched = synthflow.get(f"/simulation_cases/{case['simulation_case_id']}").json()["response"]
    listed = synthflow.get("/simulation_cases", params={"suite_id": suite["id"]}).json()["response"]
    full_suite = synthflow.get(f"/simulation_suites/{suite['id']}").json()["response"]

    assert fetched["name"] == "Reschedule" and fetched["suite_id"] == suite["id"]
    assert listed["pagination"]["total_records"] == 1
    assert [c["name"] for c in full_suite["cases"]] == ["Reschedule"]


def test_a_created_suite_lists_beside_the_fixture_suite(synthflow: httpx.Client) -> None:
    _suite_with_a_case(synthflow)

    suites = synthflow.get("/simulation_suites").json()["response"]

    assert suites["total"] == 2


def test_a_deleted_case_is_gone(synthflow: httpx.Client) -> None:
    _, case = _suite_with_a_case(synthflow)

    deleted = synthflow.delete(f"/simulation_cases/{case['simulation_case_id']}")

    assert deleted.status_code == 204
    assert synthflow.get(f"/simulation_cases/{case['simulation_case_id']}").status_code == 404


def test_multi_language_suite_is_rejected(synthflow: httpx.Client) -> None:
    answer = synthflow.post(
        "/simulation_suites", json={"name": "x", "model_id": "a", "language": "multi"}
    )

    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "language"]


def test_simulation_list_filters_by_date(synthflow: httpx.Client) -> None:
    synthflow.post(
        "/simulations",
        json={
            "simulation_case_id": "9ad09ad3-9c22-441e-ae35-c05016a09786",
            "target_agent_id": AGENT,
        },
    )

    future = synthflow.get("/simulations", params={"start_date": "2999-01-01T00:00:00Z"}).json()
    past = synthflow.get("/simulations", params={"start_date": "2000-01-01T00:00:00Z"}).json()

    assert future["response"]["pagination"]["total_records"] == 0
    assert past["response"]["pagination"]["total_records"] == 1
