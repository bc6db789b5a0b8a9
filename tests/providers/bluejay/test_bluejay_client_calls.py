"""The raw Bluejay client: the bodies it sends and the answers it parses.

Its paths, the X-API-Key header, id checks and answers of the wrong shape are specified with
OmniDimension's in ../test_client_operations.py.
"""

from __future__ import annotations

import pytest
from support.bluejay_fake import (
    QUEUE_RESPONSE,
    SEED_CREATE_REQUEST,
    SEED_CREATE_RESPONSE,
    FakeBluejay,
    make_client,
    ok,
    result,
    run_record,
    run_results,
    simulation,
)

from agentsim.providers.bluejay import RunOptions, SimulationSpec
from agentsim.providers.errors import ProviderRejected


def test_create_sends_the_spec_and_returns_the_new_id() -> None:
    fake = FakeBluejay().on("POST", "/v1/create-simulation", ok(SEED_CREATE_RESPONSE))
    created = make_client(fake).create_simulation(
        SimulationSpec.model_validate(SEED_CREATE_REQUEST)
    )
    assert fake.body() == SEED_CREATE_REQUEST
    assert created.simulation_id == "123"


def test_update_sends_only_the_given_fields() -> None:
    fake = FakeBluejay().on("PUT", "/v1/simulation/123", ok(simulation(name="v2")))
    updated = make_client(fake).update_simulation(123, {"name": "v2"})
    assert fake.body() == {"name": "v2"}
    assert updated.name == "v2"


def test_queue_sends_the_simulation_id_as_a_string_with_the_run_options() -> None:
    fake = FakeBluejay().on("POST", "/v1/queue-simulation-run", ok(QUEUE_RESPONSE))
    options = RunOptions.model_validate({"digital_human_ids": [45], "phone_number": "+15550100"})
    queued = make_client(fake).queue_simulation_run(123, options)
    assert fake.body() == {
        "simulation_id": "123",
        "digital_human_ids": ["45"],
        "phone_number": "+15550100",
    }
    assert queued.simulation_run_id == "789"


def test_run_list_and_results_parse() -> None:
    fake = (
        FakeBluejay()
        .on("GET", "/v1/get-simulation-runs/123", ok({"simulation_runs": [run_record(7, None)]}))
        .on(
            "GET",
            "/v1/retrieve-simulation-results/7",
            ok(run_results("RUNNING", result(1, "QUEUED"))),
        )
    )
    client = make_client(fake)
    assert [r.id for r in client.get_simulation_runs(123).simulation_runs] == ["7"]
    assert [r.id for r in client.retrieve_simulation_results(7).simulation_results] == ["1"]


def test_end_conversations_sends_int_ids() -> None:
    fake = FakeBluejay().on(
        "POST",
        "/v1/end-conversations",
        ok({"success": True, "ended_count": 2, "test_result_ids": [1001, 1002], "message": "ok"}),
    )
    answer = make_client(fake).end_conversations(["1001", 1002])
    assert fake.body() == {"test_result_ids": [1001, 1002]}
    assert answer.ended_count == 2


def test_end_conversations_refused_with_success_false_is_rejected() -> None:
    fake = FakeBluejay().on(
        "POST",
        "/v1/end-conversations",
        ok({"success": False, "ended_count": 0, "test_result_ids": [5], "failed_ids": [5],
            "message": "not running"}),
    )  # fmt: skip
    with pytest.raises(ProviderRejected) as caught:
        make_client(fake).end_conversations([5])
    assert caught.value.provider == "bluejay"
    assert caught.value.operation == "end_conversations"
    assert "not running" in caught.value.message
    assert "5" in caught.value.message


def test_end_conversations_without_ids_is_refused_without_a_call() -> None:
    fake = FakeBluejay()
    with pytest.raises(ValueError, match="test_result_ids"):
        make_client(fake).end_conversations([])
    assert fake.requests == []


def test_string_path_ids_are_escaped() -> None:
    fake = FakeBluejay().on("GET", "/v1/retrieve-simulation-results/a%2Fb", ok(run_results(None)))
    make_client(fake).retrieve_simulation_results("a/b")
    assert fake.requests[0].url.raw_path == b"/v1/retrieve-simulation-results/a%2Fb"
