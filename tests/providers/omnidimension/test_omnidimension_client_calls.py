"""The raw OmniDimension client: the bodies it sends and the answers it parses.

Its paths, the bearer key, id checks and answers of the wrong shape are specified with Bluejay's
in ../test_client_operations.py.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from support.omni_fake import (
    DELETE_RESPONSE,
    ENHANCE_NOT_COMPLETED,
    LIST_RESPONSE,
    SEED_CREATE_REQUEST,
    SEED_CREATE_RESPONSE,
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
    RunOptions,
    SimulationSpec,
    SimulationUpdate,
)

SPEC = SimulationSpec.model_validate(SEED_CREATE_REQUEST)
SCENARIO = {"name": "Order", "description": "Order a pizza", "expected_result": "Ordered"}


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


def test_a_create_answer_without_a_simulation_is_an_ambiguous_fault() -> None:
    fake = FakeOmni().on("POST", "/simulations", ok({"success": True}))
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).create_simulation(SPEC)
    assert caught.value.ambiguous is True
    assert len(fake.requests) == 1
