"""OmniDimensionProvider.prepare: a spec creates a Draft, an id is checked, both update in place."""

from __future__ import annotations

import httpx
import pytest
from support.omni_adapter import GET, scenario, spec
from support.omni_fake import (
    SEED_CREATE_RESPONSE,
    FakeOmni,
    answer,
    make_provider,
    ok,
    scenario_record,
)

from agentsim.providers import create_provider
from agentsim.providers.errors import ProviderNotFound, ProviderRejected


def test_the_registry_passes_the_http_options_through() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer()))
    provider = create_provider(
        "omnidimension", "omni-key-123", base_url="http://omni.test/api/v1",
        transport=httpx.MockTransport(fake), sleep=lambda _: None,
    )  # fmt: skip
    provider.prepare(None, simulation_id="456")
    assert str(fake.requests[0].url) == "http://omni.test/api/v1/simulations/456"


def test_prepare_with_a_spec_only_creates_a_draft() -> None:
    fake = FakeOmni().on("POST", "/simulations", ok(SEED_CREATE_RESPONSE))
    handle = make_provider(fake).prepare(spec())
    assert fake.body() == spec().body()
    assert (handle.provider, handle.simulation_id, handle.run_id) == ("omnidimension", "456", None)
    assert (handle.prepared, handle.prepared_status) == ("created", "Draft")


def test_prepare_with_an_id_only_just_checks_the_simulation_exists() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer(status="Completed")))
    handle = make_provider(fake).prepare(None, simulation_id="456")
    assert [r.method for r in fake.requests] == ["GET"]
    assert handle.simulation_id == "456"
    assert (handle.prepared, handle.prepared_status) == ("existing", "Completed")


def test_prepare_of_a_missing_simulation_is_not_found() -> None:
    fake = FakeOmni().on("GET", "/simulations/404", httpx.Response(404, json={"error": "gone"}))
    with pytest.raises(ProviderNotFound, match="gone"):
        make_provider(fake).prepare(None, simulation_id="404")


def test_prepare_with_nothing_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="simulation_id"):
        make_provider(FakeOmni()).prepare(None)


def test_prepare_with_spec_and_id_puts_the_full_spec() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer())).on("PUT", GET, ok(answer(name="v2")))
    handle = make_provider(fake).prepare(spec(name="v2"), simulation_id="456")
    assert [r.method for r in fake.requests] == ["GET", "PUT"]
    assert fake.body() == spec(name="v2").body()
    assert (handle.prepared, handle.prepared_status) == ("updated", "Draft")


def test_prepare_update_keeps_the_ids_of_scenarios_sent_again_by_name() -> None:
    # Given a simulation holding two scenarios
    existing = [scenario_record(5001, "Book"), scenario_record(5002, "Cancel")]
    fake = (
        FakeOmni().on("GET", GET, ok(answer(scenarios_ids=existing))).on("PUT", GET, ok(answer()))
    )
    # When the same scenarios come back without ids, plus a new one
    make_provider(fake).prepare(
        spec(scenario("Cancel"), scenario("Book"), scenario("Reschedule")), simulation_id="456"
    )
    # Then the existing ones are updated in place and only the new one is added
    assert [s.get("id") for s in fake.body()["scenarios"]] == [5002, 5001, None]


def test_prepare_update_never_reassigns_an_id_the_spec_already_names() -> None:
    existing = [scenario_record(5001, "Book"), scenario_record(5002, "Book again")]
    fake = (
        FakeOmni().on("GET", GET, ok(answer(scenarios_ids=existing))).on("PUT", GET, ok(answer()))
    )
    make_provider(fake).prepare(
        spec(scenario("Renamed", id=5001), scenario("Book")), simulation_id="456"
    )
    assert [s.get("id") for s in fake.body()["scenarios"]] == [5001, None]


def test_prepare_update_leaves_a_name_shared_by_several_scenarios_as_new() -> None:
    existing = [scenario_record(5001, "Book"), scenario_record(5002, "Book")]
    fake = (
        FakeOmni().on("GET", GET, ok(answer(scenarios_ids=existing))).on("PUT", GET, ok(answer()))
    )
    make_provider(fake).prepare(spec(scenario("Book")), simulation_id="456")
    assert "id" not in fake.body()["scenarios"][0]


def test_prepare_update_refused_while_running_is_rejected() -> None:
    refusal = {
        "error": "invalid_state",
        "error_description": "Cannot update a simulation that is in progress",
    }
    fake = (
        FakeOmni()
        .on("GET", GET, ok(answer(status="In Progress")))
        .on("PUT", GET, httpx.Response(400, json=refusal))
    )
    with pytest.raises(ProviderRejected, match="in progress"):
        make_provider(fake).prepare(spec(), simulation_id="456")
