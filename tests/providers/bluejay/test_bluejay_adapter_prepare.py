"""BluejayProvider.prepare: a spec creates a simulation, an id is checked, both make a partial
update."""

from __future__ import annotations

import httpx
import pytest
from support.bluejay_fake import SEED_CREATE_RESPONSE, FakeBluejay, make_provider, ok, simulation

from agentsim.providers.bluejay import SimulationSpec
from agentsim.providers.errors import ProviderNotFound, ProviderRejected


def test_prepare_with_a_spec_only_creates_a_simulation() -> None:
    fake = FakeBluejay().on("POST", "/v1/create-simulation", ok(SEED_CREATE_RESPONSE))
    prepared = make_provider(fake).prepare(SimulationSpec(agent_id="12", name="Checkout"))
    assert fake.body() == {"agent_id": "12", "name": "Checkout"}
    assert (prepared.provider, prepared.simulation_id, prepared.run_id) == ("bluejay", "123", None)


def test_prepare_with_an_id_only_just_checks_the_simulation_exists() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/123", ok(simulation()))
    prepared = make_provider(fake).prepare(None, simulation_id="123")
    assert prepared.simulation_id == "123"
    assert [r.method for r in fake.requests] == ["GET"]


def test_prepare_of_a_missing_simulation_is_not_found() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/404", httpx.Response(404, json={"detail": "x"}))
    with pytest.raises(ProviderNotFound):
        make_provider(fake).prepare(None, simulation_id="404")


def test_prepare_with_spec_and_id_sends_a_partial_update_without_agent_id() -> None:
    fake = (
        FakeBluejay()
        .on("GET", "/v1/simulation/123", ok(simulation(agent_id=12)))
        .on("PUT", "/v1/simulation/123", ok(simulation(name="v2")))
    )
    spec = SimulationSpec(
        agent_id="12", name="v2", max_call_duration=90, max_call_duration_units="seconds"
    )
    prepared = make_provider(fake).prepare(spec, simulation_id="123")
    assert [r.method for r in fake.requests] == ["GET", "PUT"]
    assert fake.body() == {
        "name": "v2",
        "max_call_duration": 90,
        "max_call_duration_units": "seconds",
    }
    assert prepared.simulation_id == "123"


def test_prepare_refuses_to_move_a_simulation_to_another_agent() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/123", ok(simulation(agent_id=99)))
    with pytest.raises(ProviderRejected, match="agent_id"):
        make_provider(fake).prepare(SimulationSpec(agent_id="12"), simulation_id="123")
    assert [r.method for r in fake.requests] == ["GET"]


def test_prepare_refuses_a_field_no_update_accepts() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/123", ok(simulation()))
    spec = SimulationSpec(agent_id="12", sequential_calling=True)
    with pytest.raises(ProviderRejected, match="sequential_calling"):
        make_provider(fake).prepare(spec, simulation_id="123")
    assert [r.method for r in fake.requests] == ["GET"]


def test_prepare_with_nothing_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="simulation_id"):
        make_provider(FakeBluejay()).prepare(None)
