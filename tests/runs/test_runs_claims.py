"""Launch claims and launch scopes in DynamoDB (moto, tables from template.yaml): one run per
launch, one launching run per scope, and when each passes on."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest
from support.records import START, Clock, new_record

from agentsim.providers.bluejay import BluejayLaunched
from agentsim.runs.claims import DynamoLaunchClaims
from agentsim.runs.errors import LaunchBusy
from agentsim.runs.record import Change, RunStatus
from agentsim.runs.run_store import DynamoRunStore

NOW = START
SCOPE = "bluejay:simulation:301"
KEY = "bluejay:run:7001"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def claims(tables: dict[str, str], runs: DynamoRunStore, clock: Clock) -> DynamoLaunchClaims:
    return DynamoLaunchClaims(
        boto3.client("dynamodb"),
        tables["RunItemsTable"],
        records=runs.find,
        clock=clock,
        sleep=lambda _: None,
        wait_seconds=0,
    )


def run(runs: DynamoRunStore, run_id: str) -> str:
    runs.create(new_record(run_id))
    return run_id


def end(runs: DynamoRunStore, run_id: str) -> None:
    runs.change(run_id, Change.move(RunStatus.FAILED))


def launched(runs: DynamoRunStore, run_id: str) -> None:
    handle = BluejayLaunched(simulation_id="301", prepared="existing", run_id="7001")
    runs.change(run_id, Change.move(RunStatus.RUNNING, handle=handle))


# claims ----------------------------------------------------------------------------------------


def test_a_launch_is_claimed_by_one_run_and_again_by_the_same(claims: DynamoLaunchClaims) -> None:
    assert claims.claim(KEY, "run-a") is True
    assert claims.claim(KEY, "run-a") is True  # a retry of the same run
    assert claims.claim(KEY, "run-b") is False
    assert claims.owner(KEY) == "run-a"


def test_a_claimed_launch_is_never_passed_on_even_once_its_run_ended(
    claims: DynamoLaunchClaims, runs: DynamoRunStore
) -> None:
    claims.claim(KEY, run(runs, "run-a"))
    end(runs, "run-a")

    assert claims.claim(KEY, "run-b") is False
    assert claims.owner(KEY) == "run-a"


def test_a_reused_key_passes_on_once_its_run_ended_not_before(
    claims: DynamoLaunchClaims, runs: DynamoRunStore
) -> None:
    key = "omnidimension:simulation:456"
    claims.claim(key, run(runs, "run-a"), reusable=True)

    assert claims.claim(key, "run-b", reusable=True) is False
    end(runs, "run-a")
    assert claims.claim(key, "run-b", reusable=True) is True
    assert claims.owner(key) == "run-b"


def test_only_its_owner_drops_a_claim(claims: DynamoLaunchClaims) -> None:
    claims.claim(KEY, "run-a")

    claims.unclaim(KEY, "run-b")
    assert claims.owner(KEY) == "run-a"
    claims.unclaim(KEY, "run-a")
    assert claims.owner(KEY) is None


# scopes ----------------------------------------------------------------------------------------


def test_a_held_scope_is_busy_for_others_and_renewed_for_its_holder(
    claims: DynamoLaunchClaims, runs: DynamoRunStore
) -> None:
    claims.hold(SCOPE, run(runs, "run-a"))
    claims.hold(SCOPE, "run-a")

    with pytest.raises(LaunchBusy) as busy:
        claims.hold(SCOPE, run(runs, "run-b"))
    assert (busy.value.scope, busy.value.holder) == (SCOPE, "run-a")


def test_a_released_scope_is_free(claims: DynamoLaunchClaims, runs: DynamoRunStore) -> None:
    claims.hold(SCOPE, run(runs, "run-a"))
    claims.release(SCOPE, "run-b")  # not the holder: nothing happens
    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, run(runs, "run-b"))

    claims.release(SCOPE, "run-a")
    claims.hold(SCOPE, "run-b")


def test_a_scope_passes_on_once_its_holder_recorded_its_launch(
    claims: DynamoLaunchClaims, runs: DynamoRunStore
) -> None:
    claims.hold(SCOPE, run(runs, "run-a"))
    launched(runs, "run-a")  # then died before letting the scope go

    claims.hold(SCOPE, run(runs, "run-b"))

    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, run(runs, "run-c"))


def test_an_ended_holder_keeps_its_scope_through_the_quarantine(
    claims: DynamoLaunchClaims, runs: DynamoRunStore, clock: Clock
) -> None:
    # Given a holder that ended with its launch unsettled (it may have left one behind)
    claims.hold(SCOPE, run(runs, "run-a"))
    end(runs, "run-a")
    run(runs, "run-b")

    # Then the scope stays busy until that launch is older than any later search reaches
    clock.now = NOW + claims.quarantine - timedelta(seconds=1)
    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, "run-b")
    clock.now = NOW + claims.quarantine
    claims.hold(SCOPE, "run-b")


def test_a_live_holder_keeps_its_scope_until_it_goes_quiet(
    claims: DynamoLaunchClaims, runs: DynamoRunStore, clock: Clock
) -> None:
    claims.hold(SCOPE, run(runs, "run-a"))
    run(runs, "run-b")

    clock.now = NOW + claims.lease_ttl - timedelta(seconds=1)
    claims.hold(SCOPE, "run-a")  # renewed on its next attempt
    clock.now = NOW + claims.lease_ttl + timedelta(seconds=1)
    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, "run-b")
    clock.now = NOW + 2 * claims.lease_ttl
    claims.hold(SCOPE, "run-b")


def test_a_busy_scope_is_waited_for(
    tables: dict[str, str], runs: DynamoRunStore, clock: Clock
) -> None:
    # Given a holder that lets the scope go while another run waits
    def release_while_waiting(_: float) -> None:
        waiting.release(SCOPE, "run-a")

    waiting = DynamoLaunchClaims(
        boto3.client("dynamodb"),
        tables["RunItemsTable"],
        records=runs.find,
        clock=clock,
        sleep=release_while_waiting,
        wait_seconds=60,
    )
    waiting.hold(SCOPE, run(runs, "run-a"))

    waiting.hold(SCOPE, run(runs, "run-b"))

    with pytest.raises(LaunchBusy) as busy:
        waiting.wait_seconds = 0
        waiting.hold(SCOPE, run(runs, "run-c"))
    assert busy.value.holder == "run-b"
