"""The OmniDimension emulator answers the official `omnidimension` SDK as the real API does."""

from __future__ import annotations

from typing import Any

import pytest
from omnidimension import Client
from omnidimension.client import APIError
from support.waiting import wait_until

from agentsim_local.emulator import EmulatorServer

SCENARIOS = [
    {
        "name": "Polite booking",
        "description": "Book a table for two tonight.",
        "expected_result": "Table booked",
        "selected_voices": [{"id": "v1", "provider": "eleven_labs"}],
    },
    {
        "name": "Rude caller [emulator:fail]",
        "description": "Insult the agent and ask for a refund.",
        "expected_result": "Agent stays calm",
    },
]


@pytest.fixture
def client(emulator: EmulatorServer) -> Client:
    return Client("omni-test-key-123", base_url=emulator.base_urls["omnidimension"])


def _create(client: Client, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": "Booking test", "agent_id": 158910, "scenarios": SCENARIOS}
    fields.update(overrides)
    answer = client.simulation.create(**fields)
    assert answer["status"] == 200
    simulation: dict[str, Any] = answer["json"]["simulation"]
    return simulation


def test_create_returns_a_draft_simulation_in_the_documented_shape(client: Client) -> None:
    simulation = _create(client)

    assert simulation["status"] == "Draft"
    assert simulation["bot_id"]["id"] == 158910
    assert simulation["progress"] == [0]
    assert simulation["summary"] is False and simulation["what_went_wrong"] is False
    assert [s["name"] for s in simulation["scenarios_ids"]] == [s["name"] for s in SCENARIOS]
    assert simulation["simulation_call_recording"] == []


def test_get_update_and_list_round_trip(client: Client) -> None:
    simulation = _create(client)
    kept = simulation["scenarios_ids"][0]

    client.simulation.update(
        simulation["id"],
        {
            "name": "Renamed",
            "max_call_duration_in_minutes": 5,
            "scenarios": [{**kept}, {"name": "New", "description": "d", "expected_result": "e"}],
        },
    )
    fetched = client.simulation.get(simulation["id"])["json"]["simulation"]
    listed = client.simulation.list(pageno=1, pagesize=10)["json"]

    assert fetched["name"] == "Renamed"
    assert fetched["max_call_duration_in_minutes"] == 5
    assert fetched["scenarios_ids"][0]["id"] == kept["id"]
    assert [s["name"] for s in fetched["scenarios_ids"]] == ["Polite booking", "New"]
    assert listed["total_records"] == 1
    assert listed["records"][0]["id"] == simulation["id"]


def test_start_runs_to_completed_with_one_recording_per_call(client: Client) -> None:
    simulation = _create(client, number_of_call_to_make=2)

    started = client.simulation.start(simulation["id"])["json"]
    completed = wait_until(
        lambda: client.simulation.get(simulation["id"])["json"]["simulation"],
        lambda s: s["status"] == "Completed",
    )

    assert started["success"] is True and started["simulation"]["status"] == "Pending"
    assert completed["progress"] == [100]
    assert completed["total_records"] == completed["total_simulation_finished_records"] == 4
    assert len(completed["simulation_call_recording"]) == 4
    assert completed["analyticsData"] == {"Positive": 2, "Negative": 2, "Neutral": 0}
    assert "Rude caller" in completed["what_went_wrong"]
    assert isinstance(completed["summary"], str)


def test_enhance_prompt_is_refused_before_completion(client: Client) -> None:
    simulation = _create(client)

    with pytest.raises(APIError) as refused:
        client.simulation.enhance_prompt(simulation["id"])

    assert refused.value.status_code == 400
    assert refused.value.response["error"] == "invalid_state"


def test_enhance_prompt_answers_after_completion(client: Client) -> None:
    simulation = _create(client)
    client.simulation.start(simulation["id"])
    wait_until(
        lambda: client.simulation.get(simulation["id"])["json"]["simulation"]["status"],
        lambda status: status == "Completed",
    )

    enhanced = client.simulation.enhance_prompt(simulation["id"])["json"]

    assert enhanced["success"] is True and enhanced["prompt_breakdown"]


def test_stop_stops_a_running_simulation_and_reports_disconnects(client: Client) -> None:
    simulation = _create(client)
    client.simulation.start(simulation["id"])

    stopped = client.simulation.stop(simulation["id"])["json"]
    fetched = client.simulation.get(simulation["id"])["json"]["simulation"]

    assert stopped["success"] is True
    assert set(stopped["disconnect_results"]) == {
        "successful_disconnects",
        "failed_disconnects",
        "pending_stopped",
    }
    assert fetched["status"] == "Stopped"


def test_stopping_a_stopped_simulation_is_200_without_success(client: Client) -> None:
    simulation = _create(client)
    client.simulation.start(simulation["id"])
    client.simulation.stop(simulation["id"])

    again = client.simulation.stop(simulation["id"])

    assert again["status"] == 200 and again["json"]["success"] is False


def test_delete_removes_the_simulation(client: Client) -> None:
    simulation = _create(client)

    client.simulation.delete(simulation["id"])
    with pytest.raises(APIError) as missing:
        client.simulation.get(simulation["id"])

    assert missing.value.status_code == 404
    assert missing.value.response == {"error": "Simulation not found"}
