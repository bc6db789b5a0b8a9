"""The raw Bluejay client: paths under /v1, the X-API-Key header, bodies and parsed answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support.bluejay_fake import (
    API_KEY,
    QUEUE_RESPONSE,
    SEED_CREATE_REQUEST,
    SEED_CREATE_RESPONSE,
    FakeBluejay,
    digital_humans,
    make_client,
    ok,
    result,
    run_record,
    run_results,
    simulation,
)

from agentsim.providers.bluejay import BluejayClient, RunOptions, SimulationSpec
from agentsim.providers.errors import ProviderRejected, ProviderUnavailable

CALLS: list[tuple[str, str, Any, Callable[[BluejayClient], Any]]] = [
    ("POST", "/v1/create-simulation", SEED_CREATE_RESPONSE,
     lambda c: c.create_simulation(SimulationSpec(agent_id="12"))),
    ("GET", "/v1/simulation/123", simulation(), lambda c: c.get_simulation(123)),
    ("PUT", "/v1/simulation/123", simulation(),
     lambda c: c.update_simulation("123", {"name": "n"})),
    ("DELETE", "/v1/simulation/123", {"message": "deleted", "deleted_simulation_id": 123},
     lambda c: c.delete_simulation(123)),
    ("GET", "/v1/get-all-simulations", {"simulations": []}, lambda c: c.list_simulations()),
    ("POST", "/v1/queue-simulation-run", QUEUE_RESPONSE, lambda c: c.queue_simulation_run(123)),
    ("GET", "/v1/get-simulation-runs/123", {"simulation_runs": []},
     lambda c: c.get_simulation_runs(123)),
    ("GET", "/v1/retrieve-simulation-results/789", run_results("RUNNING"),
     lambda c: c.retrieve_simulation_results("789")),
    ("GET", "/v1/retrieve-simulation-result/1001", {"simulation_result": result(1001, "RUNNING")},
     lambda c: c.retrieve_simulation_result(1001)),
    ("POST", "/v1/end-conversations",
     {"success": True, "ended_count": 1, "test_result_ids": [1], "message": "ok"},
     lambda c: c.end_conversations([1])),
    ("GET", "/v1/digital-humans-by-simulation/123", digital_humans((41, "Polite caller")),
     lambda c: c.get_digital_humans_by_simulation(123)),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "answer", "call"), CALLS, ids=[c[1] for c in CALLS])
def test_every_operation_uses_its_v1_path_and_the_api_key_header(
    method: str, path: str, answer: Any, call: Callable[[BluejayClient], Any]
) -> None:
    # Given Bluejay answering the operation
    fake = FakeBluejay().on(method, path, ok(answer))
    # When the client calls it
    call(make_client(fake))
    # Then exactly one request went to the documented path, authenticated by X-API-Key
    (request,) = fake.requests
    assert (request.method, str(request.url)) == (method, f"https://api.getbluejay.ai{path}")
    assert request.headers["X-API-Key"] == API_KEY


def test_a_base_url_that_already_ends_in_v1_is_not_doubled() -> None:
    fake = FakeBluejay().on("GET", "/v1/get-all-simulations", ok({"simulations": []}))
    client = BluejayClient(
        API_KEY, base_url="http://127.0.0.1:9/v1/", transport=httpx.MockTransport(fake)
    )
    client.list_simulations()
    assert str(fake.requests[0].url) == "http://127.0.0.1:9/v1/get-all-simulations"


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


@pytest.mark.parametrize("bad", ["abc", "1/2", "", "12a"])
def test_a_non_integer_simulation_id_is_rejected_by_name_without_a_call(bad: str) -> None:
    fake = FakeBluejay()
    with pytest.raises(ProviderRejected, match="simulation_id"):
        make_client(fake).get_simulation(bad)
    assert fake.requests == []


def test_string_path_ids_are_escaped() -> None:
    fake = FakeBluejay().on("GET", "/v1/retrieve-simulation-results/a%2Fb", ok(run_results(None)))
    make_client(fake).retrieve_simulation_results("a/b")
    assert fake.requests[0].url.raw_path == b"/v1/retrieve-simulation-results/a%2Fb"


def test_a_queue_answer_of_the_wrong_shape_is_an_ambiguous_fault() -> None:
    # Given a 200 without the run id: the run may well have been queued
    fake = FakeBluejay().on("POST", "/v1/queue-simulation-run", ok({"status": "success"}))
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).queue_simulation_run(123)
    assert caught.value.ambiguous is True
    assert "simulation_run_id" in caught.value.message
    assert len(fake.requests) == 1


def test_a_read_answer_of_the_wrong_shape_is_a_plain_fault() -> None:
    fake = FakeBluejay().on("GET", "/v1/retrieve-simulation-results/7", ok({"simulation_run": 3}))
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).retrieve_simulation_results(7)
    assert caught.value.ambiguous is False
    assert "simulation_run" in caught.value.message
