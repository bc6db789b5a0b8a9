"""OmniDimensionProvider launch and find_launch: a start with the SDK's body, found by its
status."""

from __future__ import annotations

import httpx
import pytest
from support.omni_adapter import AT, GET, START, prepared, scenario
from support.omni_fake import START_RESPONSE, FakeOmni, answer, make_provider, ok

from agentsim.providers.errors import ProviderRejected
from agentsim.providers.omnidimension import (
    OmniDimensionLaunched,
    OmniDimensionPrepared,
    RunOptions,
)


def test_launch_starts_the_prepared_simulation_with_the_sdks_empty_body() -> None:
    fake = FakeOmni().on("POST", START, ok(START_RESPONSE))
    started = make_provider(fake).launch(prepared(), None, idempotency_key="run-1")
    assert fake.body() == {}
    assert (started.simulation_id, started.run_id) == ("456", None)
    assert (started.launched_status, started.prepared_status) == ("Pending", "Draft")


def test_launch_sends_the_run_options_scenarios() -> None:
    fake = FakeOmni().on("POST", START, ok(START_RESPONSE))
    options = RunOptions.model_validate({"scenarios": [scenario("Book", id=5001)]})
    make_provider(fake).launch(prepared(), options, idempotency_key="run-1")
    assert fake.body() == {"scenarios": [scenario("Book", id=5001)]}


def test_launch_refused_by_omnidimension_is_rejected() -> None:
    refusal = {
        "error": "invalid_request",
        "error_description": "Simulation has no scenarios to run",
    }
    fake = FakeOmni().on("POST", START, httpx.Response(400, json=refusal))
    with pytest.raises(ProviderRejected, match="no scenarios"):
        make_provider(fake).launch(prepared(), None, idempotency_key="run-1")


def find(fake: FakeOmni, handle: OmniDimensionPrepared) -> OmniDimensionLaunched | None:
    return make_provider(fake).find_launch(handle, idempotency_key="run-1", attempted_at=AT)


def test_find_launch_of_a_simulation_still_in_draft_finds_nothing() -> None:
    assert find(FakeOmni().on("GET", GET, ok(answer(status="Draft"))), prepared()) is None


@pytest.mark.parametrize(
    "status", ["Pending", "In Progress", "Calculating Summary", "Completed", "Stopped", "Queued"]
)
def test_find_launch_of_a_new_draft_that_moved_on_finds_the_start(status: str) -> None:
    found = find(FakeOmni().on("GET", GET, ok(answer(status=status))), prepared("Draft"))
    assert found is not None
    assert found.simulation_id == "456"
    assert (found.found, found.launched_status) == (True, status)


def test_find_launch_of_a_finished_simulation_that_did_not_change_finds_nothing() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer(status="Completed")))
    assert find(fake, prepared("Completed")) is None


@pytest.mark.parametrize(("before", "now"), [("Completed", "Pending"), ("Stopped", "Completed")])
def test_find_launch_of_a_rerun_sees_the_change_since_prepare(before: str, now: str) -> None:
    assert find(FakeOmni().on("GET", GET, ok(answer(status=now))), prepared(before)) is not None
