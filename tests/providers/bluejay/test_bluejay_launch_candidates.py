"""Bluejay launch candidates: every run of the simulation since the attempt, newest first, each
under its own key; the simulation is the scope."""

from __future__ import annotations

from datetime import UTC, datetime

from support.bluejay_fake import FakeBluejay, listing_runs, make_provider, run_record

from agentsim.providers.bluejay import BluejayLaunched, BluejayPrepared

PREPARED = BluejayPrepared(simulation_id="123", prepared="existing")
ATTEMPTED = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


def test_every_run_since_the_attempt_is_a_candidate_newest_first() -> None:
    provider = make_provider(
        listing_runs(
            run_record(5, "2025-11-20T09:00:00Z"),
            run_record(7, "2025-11-20T10:00:09Z"),
            run_record(6, "2025-11-20T10:00:05Z"),
        )
    )

    candidates = provider.launch_candidates(
        PREPARED, idempotency_key="run-1", attempted_at=ATTEMPTED
    )

    assert [(c.key, c.run.run_id, c.settled) for c in candidates] == [
        ("bluejay:run:7", "7", True),
        ("bluejay:run:6", "6", True),
    ]


def test_the_simulation_is_the_scope_and_a_run_is_keyed_by_its_id() -> None:
    provider = make_provider(FakeBluejay())
    launched = BluejayLaunched(simulation_id="123", prepared="existing", run_id="789")

    assert provider.launch_scope(PREPARED, idempotency_key="run-1") == "bluejay:simulation:123"
    assert provider.launch_key(launched) == "bluejay:run:789"
    assert provider.launch_key_ahead(PREPARED, idempotency_key="run-1") is None
    assert provider.reuses_launch_keys is False
