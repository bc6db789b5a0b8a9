"""Every operation of the Bluejay and OmniDimension clients: its documented path, the key sent
as the provider expects it, a base URL given with a trailing slash, ids checked before any
call, and an answer of the wrong shape (ambiguous after a launch, a plain fault after a read).

The paths are Bluejay's API reference (https://docs.getbluejay.ai/api-reference) and the
official OmniDimension SDK's (`omnidimension` 0.6.0, `omnidimension/Simulation/__init__.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support import bluejay_fake, omni_fake
from support.scripted_clients import ScriptedClient
from support.scripted_transport import ok

from agentsim.providers.bluejay import BluejayClient
from agentsim.providers.bluejay import SimulationSpec as BluejaySpec
from agentsim.providers.errors import ProviderRejected, ProviderUnavailable
from agentsim.providers.omnidimension import OmniDimensionClient, SimulationUpdate
from agentsim.providers.omnidimension import SimulationSpec as OmniSpec

BLUEJAY = bluejay_fake.SCRIPTED_CLIENT
OMNIDIMENSION = omni_fake.SCRIPTED_CLIENT
OMNI_SPEC = OmniSpec.model_validate(omni_fake.SEED_CREATE_REQUEST)

BLUEJAY_CALLS: list[tuple[str, str, Any, Callable[[BluejayClient], Any]]] = [
    ("POST", "/v1/create-simulation", bluejay_fake.SEED_CREATE_RESPONSE,
     lambda c: c.create_simulation(BluejaySpec(agent_id="12"))),
    ("GET", "/v1/simulation/123", bluejay_fake.simulation(), lambda c: c.get_simulation(123)),
    ("PUT", "/v1/simulation/123", bluejay_fake.simulation(),
     lambda c: c.update_simulation("123", {"name": "n"})),
    ("DELETE", "/v1/simulation/123", {"message": "deleted", "deleted_simulation_id": 123},
     lambda c: c.delete_simulation(123)),
    ("GET", "/v1/get-all-simulations", {"simulations": []}, lambda c: c.list_simulations()),
    ("POST", "/v1/queue-simulation-run", bluejay_fake.QUEUE_RESPONSE,
     lambda c: c.queue_simulation_run(123)),
    ("GET", "/v1/get-simulation-runs/123", {"simulation_runs": []},
     lambda c: c.get_simulation_runs(123)),
    ("GET", "/v1/retrieve-simulation-results/789", bluejay_fake.run_results("RUNNING"),
     lambda c: c.retrieve_simulation_results("789")),
    ("GET", "/v1/retrieve-simulation-result/1001",
     {"simulation_result": bluejay_fake.result(1001, "RUNNING")},
     lambda c: c.retrieve_simulation_result(1001)),
    ("POST", "/v1/end-conversations",
     {"success": True, "ended_count": 1, "test_result_ids": [1], "message": "ok"},
     lambda c: c.end_conversations([1])),
    ("GET", "/v1/digital-humans-by-simulation/123",
     bluejay_fake.digital_humans((41, "Polite caller")),
     lambda c: c.get_digital_humans_by_simulation(123)),
]  # fmt: skip

OMNIDIMENSION_CALLS: list[tuple[str, str, Any, Callable[[OmniDimensionClient], Any]]] = [
    ("POST", "/simulations", omni_fake.SEED_CREATE_RESPONSE,
     lambda c: c.create_simulation(OMNI_SPEC)),
    ("GET", "/simulations/456", omni_fake.SEED_GET_RESPONSE, lambda c: c.get_simulation(456)),
    ("PUT", "/simulations/456", omni_fake.SEED_UPDATE_RESPONSE,
     lambda c: c.update_simulation("456", SimulationUpdate(name="v2"))),
    ("DELETE", "/simulations/456", omni_fake.DELETE_RESPONSE, lambda c: c.delete_simulation(456)),
    ("GET", "/simulations?pageno=1&pagesize=10", omni_fake.LIST_RESPONSE,
     lambda c: c.list_simulations()),
    ("POST", "/simulations/456/start", omni_fake.START_RESPONSE,
     lambda c: c.start_simulation(456)),
    ("POST", "/simulations/456/stop", omni_fake.STOP_RESPONSE, lambda c: c.stop_simulation(456)),
    ("POST", "/simulations/456/enhance-prompt", omni_fake.ENHANCE_RESPONSE,
     lambda c: c.enhance_prompt(456)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("scripted", "method", "path", "answer", "call"),
    [
        pytest.param(client, *call, id=f"{client.provider}-{call[0]}{call[1].split('?')[0]}")
        for client, calls in [(BLUEJAY, BLUEJAY_CALLS), (OMNIDIMENSION, OMNIDIMENSION_CALLS)]
        for call in calls
    ],
)
def test_every_operation_uses_its_documented_path_and_sends_the_key_as_the_provider_expects(
    scripted: ScriptedClient, method: str, path: str, answer: Any, call: Callable[[Any], Any]
) -> None:
    # Given the provider answering the operation (on its path, whatever the query)
    fake = scripted.fake().on(method, path.split("?", maxsplit=1)[0], ok(answer))
    # When the client calls it
    call(scripted.account.client(fake))
    # Then exactly one request went to the documented path and query, with the key where the
    # provider reads it
    (request,) = fake.requests
    assert (request.method, str(request.url)) == (method, scripted.account.base_url + path)
    expected = scripted.auth(scripted.api_key)
    assert {name: request.headers.get(name) for name in expected} == expected


@pytest.mark.parametrize(
    ("scripted", "base_url", "url"),
    [
        pytest.param(
            BLUEJAY,
            "http://127.0.0.1:9/v1/",
            "http://127.0.0.1:9/v1/retrieve-simulation-results/789",
            id="bluejay-ending-in-v1",
        ),
        pytest.param(
            OMNIDIMENSION,
            "http://127.0.0.1:9/api/v1/",
            "http://127.0.0.1:9/api/v1/simulations/456",
            id="omnidimension-with-a-trailing-slash",
        ),
    ],
)
def test_a_base_url_ending_in_the_api_version_and_a_slash_is_not_doubled(
    scripted: ScriptedClient, base_url: str, url: str
) -> None:
    fake = scripted.script(scripted.read, scripted.read.good_answer())
    scripted.read.call(scripted.account.client(fake, base_url=base_url))
    assert str(fake.requests[0].url) == url


@pytest.mark.parametrize("scripted", [BLUEJAY, OMNIDIMENSION], ids=lambda c: c.provider)
@pytest.mark.parametrize("bad", ["abc", "1/2", "", " ", "12a", "4.5", True])
def test_a_non_integer_simulation_id_is_rejected_by_name_without_a_call(
    scripted: ScriptedClient, bad: Any
) -> None:
    fake = scripted.fake()
    with pytest.raises(ProviderRejected, match="simulation_id"):
        scripted.account.client(fake).get_simulation(bad)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("scripted", "body", "named"),
    [
        # a 200 without the run id: the run may well have been queued
        pytest.param(BLUEJAY, {"status": "success"}, "simulation_run_id", id="bluejay"),
        # a 200 whose simulation has no id: the run may well have started
        pytest.param(
            OMNIDIMENSION, {"simulation": {"status": "x"}}, "simulation.id", id="omnidimension"
        ),
    ],
)
def test_a_launch_answer_of_the_wrong_shape_is_an_ambiguous_fault(
    scripted: ScriptedClient, body: dict[str, Any], named: str
) -> None:
    fake = scripted.script(scripted.launch, ok(body))
    with pytest.raises(ProviderUnavailable) as caught:
        scripted.call(scripted.launch, fake)
    assert caught.value.ambiguous is True
    assert named in caught.value.message
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    ("scripted", "body", "named"),
    [
        pytest.param(BLUEJAY, {"simulation_run": 3}, "simulation_run", id="bluejay"),
        pytest.param(OMNIDIMENSION, {"simulation": 3}, "simulation", id="omnidimension"),
    ],
)
def test_a_read_answer_of_the_wrong_shape_is_a_plain_fault(
    scripted: ScriptedClient, body: dict[str, Any], named: str
) -> None:
    fake = scripted.script(scripted.read, ok(body))
    with pytest.raises(ProviderUnavailable) as caught:
        scripted.call(scripted.read, fake, attempts=1)
    assert caught.value.ambiguous is False
    assert named in caught.value.message
