"""The raw OmniDimension client: paths under /api/v1, the bearer key, bodies and parsed answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support.omni_fake import (
    API_KEY,
    DELETE_RESPONSE,
    ENHANCE_NOT_COMPLETED,
    ENHANCE_RESPONSE,
    LIST_RESPONSE,
    SEED_CREATE_REQUEST,
    SEED_CREATE_RESPONSE,
    SEED_GET_RESPONSE,
    SEED_UPDATE_REQUEST,
    SEED_UPDATE_RESPONSE,
    START_RESPONSE,
    STOP_REFUSED,
    STOP_RESPONSE,
    FakeOmni,
    make_client,
    ok,
)

from agentsim.providers.errors import ProviderRejected, ProviderUnavailable
from agentsim.providers.omnidimension import (
    OmniDimensionClient,
    RunOptions,
    SimulationSpec,
    SimulationUpdate,
)

SPEC = SimulationSpec.model_validate(SEED_CREATE_REQUEST)
SCENARIO = {"name": "Order", "description": "Order a pizza", "expected_result": "Ordered"}

CALLS: list[tuple[str, str, Any, Callable[[OmniDimensionClient], Any]]] = [
    ("POST", "/simulations", SEED_CREATE_RESPONSE, lambda c: c.create_simulation(SPEC)),
    ("GET", "/simulations/456", SEED_GET_RESPONSE, lambda c: c.get_simulation(456)),
    ("PUT", "/simulations/456", SEED_UPDATE_RESPONSE,
     lambda c: c.update_simulation("456", SimulationUpdate(name="v2"))),
    ("DELETE", "/simulations/456", DELETE_RESPONSE, lambda c: c.delete_simulation(456)),
    ("GET", "/simulations", LIST_RESPONSE, lambda c: c.list_simulations()),
    ("POST", "/simulations/456/start", START_RESPONSE, lambda c: c.start_simulation(456)),
    ("POST", "/simulations/456/stop", STOP_RESPONSE, lambda c: c.stop_simulation(456)),
    ("POST", "/simulations/456/enhance-prompt", ENHANCE_RESPONSE, lambda c: c.enhance_prompt(456)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "answer", "call"), CALLS, ids=[c[0] + c[1] for c in CALLS]
)
def test_every_operation_uses_its_sdk_path_and_the_bearer_key(
    method: str, path: str, answer: Any, call: Callable[[OmniDimensionClient], Any]
) -> None:
    # Given OmniDimension answering the operation
    fake = FakeOmni().on(method, path, ok(answer))
    # When the client calls it
    call(make_client(fake))
    # Then exactly one request went to the SDK's path, authenticated as the SDK does
    (request,) = fake.requests
    assert (request.method, request.url.path) == (method, f"/api/v1{path}")
    assert request.url.host == "backend.omnidim.io"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Accept"] == "application/json"


def test_a_base_url_with_a_trailing_slash_is_not_doubled() -> None:
    fake = FakeOmni().on("GET", "/simulations/456", ok(SEED_GET_RESPONSE))
    client = OmniDimensionClient(
        API_KEY, base_url="http://127.0.0.1:9/api/v1/", transport=httpx.MockTransport(fake)
    )
    client.get_simulation(456)
    assert str(fake.requests[0].url) == "http://127.0.0.1:9/api/v1/simulations/456"


def test_create_sends_the_spec_and_returns_the_draft() -> None:
    fake = FakeOmni().on("POST", "/simulations", ok(SEED_CREATE_RESPONSE))
    created = make_client(fake).create_simulation(SPEC)
    assert fake.body() == SEED_CREATE_REQUEST
    assert (created.id, created.status) == ("456", "Draft")


def test_update_sends_the_full_scenario_list_keeping_the_ids_given() -> None:
    fake = FakeOmni().on("PUT", "/simulations/456", ok(SEED_UPDATE_RESPONSE))
    update = SimulationUpdate.model_validate(
        {"max_call_duration_in_minutes": 5, "scenarios": [{**SCENARIO, "id": 5001}, SCENARIO]}
    )
    updated = make_client(fake).update_simulation(456, update)
    assert fake.body() == {
        "max_call_duration_in_minutes": 5,
        "scenarios": [{**SCENARIO, "id": 5001}, SCENARIO],
    }
    assert updated.max_call_duration_in_minutes == 5


def test_update_accepts_a_whole_spec() -> None:
    fake = FakeOmni().on("PUT", "/simulations/456", ok(SEED_UPDATE_RESPONSE))
    spec = SimulationSpec.model_validate({**SEED_UPDATE_REQUEST, "agent_id": 123})
    make_client(fake).update_simulation(456, spec)
    assert fake.body() == {**SEED_UPDATE_REQUEST, "agent_id": 123}


def test_an_update_with_nothing_to_change_is_refused_without_a_call() -> None:
    fake = FakeOmni()
    with pytest.raises(ProviderRejected, match="no field"):
        make_client(fake).update_simulation(456, SimulationUpdate())
    assert fake.requests == []


def test_start_sends_the_empty_body_the_sdk_sends() -> None:
    fake = FakeOmni().on("POST", "/simulations/456/start", ok(START_RESPONSE))
    started = make_client(fake).start_simulation(456)
    assert fake.body() == {}
    assert started.simulation is not None
    assert started.simulation.status == "Pending"


def test_start_sends_the_scenarios_of_the_run_options() -> None:
    fake = FakeOmni().on("POST", "/simulations/456/start", ok(START_RESPONSE))
    make_client(fake).start_simulation(456, RunOptions.model_validate({"scenarios": [SCENARIO]}))
    assert fake.body() == {"scenarios": [SCENARIO]}


def test_stop_returns_the_disconnect_counts() -> None:
    counts = {"successful_disconnects": 2, "failed_disconnects": 0, "pending_stopped": 1}
    body = {**STOP_RESPONSE, "disconnect_results": counts}
    fake = FakeOmni().on("POST", "/simulations/456/stop", ok(body))
    stopped = make_client(fake).stop_simulation(456)
    assert stopped.disconnect_results is not None
    assert stopped.disconnect_results.raw() == counts
    assert fake.requests[0].content == b""


def test_stop_answered_200_with_success_false_is_rejected_with_the_providers_message() -> None:
    fake = FakeOmni().on("POST", "/simulations/456/stop", ok(STOP_REFUSED))
    with pytest.raises(ProviderRejected) as caught:
        make_client(fake).stop_simulation(456)
    error = caught.value
    assert (error.provider, error.operation, error.status_code) == (
        "omnidimension",
        "stop_simulation",
        200,
    )
    assert error.message == "Simulation is not running"
    assert len(fake.requests) == 1


def test_stop_refusal_can_be_returned_instead_of_raised() -> None:
    fake = FakeOmni().on("POST", "/simulations/456/stop", ok(STOP_REFUSED))
    stopped = make_client(fake).stop_simulation(456, require_success=False)
    assert (stopped.success, stopped.message) == (False, "Simulation is not running")


def test_any_answer_of_success_false_is_a_refusal() -> None:
    fake = FakeOmni().on(
        "GET", "/simulations/456", ok({"success": False, "error_description": "Archived"})
    )
    with pytest.raises(ProviderRejected, match="Archived"):
        make_client(fake).get_simulation(456)


def test_list_sends_page_number_and_size() -> None:
    fake = FakeOmni().on("GET", "/simulations", ok(LIST_RESPONSE))
    page = make_client(fake).list_simulations(pageno=3, pagesize=150)
    assert dict(fake.requests[0].url.params) == {"pageno": "3", "pagesize": "150"}
    assert [r.id for r in page.records] == ["456"]


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"pageno": 0}, "pageno"),
        ({"pagesize": 0}, "pagesize"),
        ({"pagesize": 151}, "pagesize"),
        ({"pagesize": True}, "pagesize"),
        ({"pageno": "2"}, "pageno"),
    ],
)
def test_list_paging_out_of_range_is_refused_by_name_without_a_call(
    kwargs: dict[str, Any], named: str
) -> None:
    fake = FakeOmni()
    with pytest.raises(ProviderRejected, match=f"^omnidimension list_simulations: {named}:"):
        make_client(fake).list_simulations(**kwargs)
    assert fake.requests == []


def test_list_without_records_is_an_empty_page() -> None:
    fake = FakeOmni().on("GET", "/simulations", ok({"records": None}))
    assert make_client(fake).list_simulations().records == []


def test_delete_accepts_the_empty_body_the_sdk_ignores() -> None:
    fake = FakeOmni().on("DELETE", "/simulations/456", httpx.Response(200))
    assert make_client(fake).delete_simulation(456).success is None


def test_delete_reads_the_documented_answer() -> None:
    fake = FakeOmni().on("DELETE", "/simulations/456", ok(DELETE_RESPONSE))
    assert make_client(fake).delete_simulation(456).success is True


def test_enhance_prompt_before_completion_is_rejected_with_the_description() -> None:
    fake = FakeOmni().on(
        "POST", "/simulations/456/enhance-prompt", httpx.Response(400, json=ENHANCE_NOT_COMPLETED)
    )
    with pytest.raises(ProviderRejected) as caught:
        make_client(fake).enhance_prompt(456)
    assert caught.value.status_code == 400
    assert caught.value.message == ENHANCE_NOT_COMPLETED["error_description"]


@pytest.mark.parametrize("bad", ["abc", "1/2", "", " ", "12a", "4.5", True])
def test_a_non_integer_simulation_id_is_rejected_by_name_without_a_call(bad: Any) -> None:
    fake = FakeOmni()
    with pytest.raises(ProviderRejected, match="simulation_id"):
        make_client(fake).get_simulation(bad)
    assert fake.requests == []


def test_a_start_answer_of_the_wrong_shape_is_an_ambiguous_fault() -> None:
    # Given a 200 whose simulation has no id: the run may well have started
    fake = FakeOmni().on("POST", "/simulations/456/start", ok({"simulation": {"status": "x"}}))
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).start_simulation(456)
    assert caught.value.ambiguous is True
    assert "simulation.id" in caught.value.message
    assert len(fake.requests) == 1


def test_a_create_answer_without_a_simulation_is_an_ambiguous_fault() -> None:
    fake = FakeOmni().on("POST", "/simulations", ok({"success": True}))
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).create_simulation(SPEC)
    assert caught.value.ambiguous is True
    assert len(fake.requests) == 1


def test_a_read_answer_of_the_wrong_shape_is_a_plain_fault() -> None:
    fake = FakeOmni().on("GET", "/simulations/456", ok({"simulation": 3}))
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).get_simulation(456)
    assert caught.value.ambiguous is False
    assert "simulation" in caught.value.message
