"""BluejayProvider launch and find_launch: a queued run keeps its ids, a lost one is found by its
date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from support.bluejay_adapter import PREPARED
from support.bluejay_fake import (
    QUEUE_RESPONSE,
    FakeBluejay,
    listing_runs,
    make_provider,
    ok,
    run_record,
)

from agentsim.providers.bluejay import BluejayLaunched, RunOptions


def found_since(attempted_at: datetime, *runs: dict[str, Any]) -> BluejayLaunched | None:
    """What find_launch takes among `runs` of simulation 123 after an attempt at `attempted_at`."""
    provider = make_provider(listing_runs(*runs))
    return provider.find_launch(PREPARED, idempotency_key="run-1", attempted_at=attempted_at)


def test_launch_queues_the_simulation_and_keeps_run_and_result_ids() -> None:
    fake = FakeBluejay().on("POST", "/v1/queue-simulation-run", ok(QUEUE_RESPONSE))
    options = RunOptions.model_validate({"digital_human_ids": [45, 46]})
    launched = make_provider(fake).launch(PREPARED, options, idempotency_key="run-1")
    assert fake.body() == {"simulation_id": "123", "digital_human_ids": ["45", "46"]}
    assert (launched.simulation_id, launched.run_id) == ("123", "789")
    assert launched.result_ids == ["1001", "1002", "1003"]


def test_find_launch_takes_the_newest_run_created_since_the_attempt() -> None:
    found = found_since(
        datetime(2025, 11, 20, 10, 0, tzinfo=UTC),
        run_record(5, "2025-11-20T09:00:00Z"),
        run_record(6, "2025-11-20T10:00:05Z"),
        run_record(7, "2025-11-20T10:00:09+00:00"),
    )
    assert found is not None
    assert (found.simulation_id, found.run_id) == ("123", "7")


def test_find_launch_allows_for_bluejays_clock_being_slightly_behind() -> None:
    # naive: UTC, 40 s before our attempt
    found = found_since(
        datetime(2025, 11, 20, 10, 0, tzinfo=UTC), run_record(8, "2025-11-20T09:59:20")
    )
    assert found is not None
    assert found.run_id == "8"


def test_find_launch_ignores_older_runs_and_runs_without_a_date() -> None:
    runs = [run_record(5, "2025-11-20T09:00:00Z"), run_record(9, None)]
    assert found_since(datetime(2025, 11, 20, 10, 0), *runs) is None
