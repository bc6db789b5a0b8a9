"""OmniDimension launch candidates: the simulation is the run, so its key is reused by every
start, claimed ahead; a simulation already running at prepare time was someone else's start."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.omni_fake import FakeOmni, answer, make_provider, ok

from agentsim.providers.omnidimension import OmniDimensionPrepared

AT = datetime(2026, 5, 8, 9, 15, tzinfo=UTC)


def prepared(status: str | None) -> OmniDimensionPrepared:
    return OmniDimensionPrepared(simulation_id="456", prepared="existing", prepared_status=status)


@pytest.mark.parametrize("before", ["Pending", "In Progress", "Calculating Summary"])
@pytest.mark.parametrize("now", ["In Progress", "Calculating Summary", "Completed"])
def test_a_simulation_running_at_prepare_time_shows_no_start_of_ours(before: str, now: str) -> None:
    fake = FakeOmni().on("GET", "/simulations/456", ok(answer(status=now)))
    provider = make_provider(fake)

    assert provider.launch_candidates(prepared(before), idempotency_key="r", attempted_at=AT) == []


def test_a_started_simulation_is_the_one_candidate_under_the_simulation_key() -> None:
    fake = FakeOmni().on("GET", "/simulations/456", ok(answer(status="In Progress")))
    provider = make_provider(fake)

    (candidate,) = provider.launch_candidates(
        prepared("Completed"), idempotency_key="r", attempted_at=AT
    )

    assert candidate.key == "omnidimension:simulation:456"
    assert candidate.run.launched_status == "In Progress"


def test_every_start_of_a_simulation_has_its_key_known_ahead_and_reused() -> None:
    provider = make_provider(FakeOmni())
    handle = prepared("Draft")

    assert provider.launch_scope(handle, idempotency_key="r") == "omnidimension:simulation:456"
    assert provider.launch_key_ahead(handle, idempotency_key="r") == "omnidimension:simulation:456"
    assert provider.launch_key(handle) == "omnidimension:simulation:456"
    assert provider.reuses_launch_keys is True
