"""Launch claims and launch scopes in DynamoDB (moto, tables from template.yaml): one run per
launch, one launching run per scope, and when each passes on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from agentsim.providers.base import ProviderName, ProviderRun
from agentsim.runs.claims import DynamoLaunchClaims
from agentsim.runs.errors import LaunchBusy
from agentsim.runs.record import RunRecord, RunStatus, Trigger
from agentsim.runs.repository import RunRepository

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SCOPE = "bluejay:simulation:301"
KEY = "bluejay:run:7001"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def repository(tables: dict[str, str]) -> RunRepository:
    return RunRepository(boto3.client("dynamodb"), tables["RunsTable"], tables["RunItemsTable"])


@pytest.fixture
def claims(tables: dict[str, str], repository: RunRepository, clock: Clock) -> DynamoLaunchClaims:
    return DynamoLaunchClaims(
        boto3.client("dynamodb"),
        tables["RunItemsTable"],
        records=repository.find,
        clock=clock,
        sleep=lambda _: None,
        wait_seconds=0,
    )


def run(repository: RunRepository, run_id: str) -> str:
    repository.create(
        RunRecord(
            run_id=run_id,
            provider=ProviderName.BLUEJAY,
            trigger=Trigger.WEBHOOK,
            created_at=NOW,
            updated_at=NOW,
        )
    )
    return run_id


def end(repository: RunRepository, run_id: str) -> None:
    repository.change(run_id, {}, status=RunStatus.FAILED)


def launched(repository: RunRepository, run_id: str) -> None:
    handle = ProviderRun(provider=ProviderName.BLUEJAY, simulation_id="301", run_id="7001")
    repository.change(run_id, {"handle": handle}, status=RunStatus.RUNNING)


# claims ----------------------------------------------------------------------------------------


def test_a_launch_is_claimed_by_one_run_and_again_by_the_same(claims: DynamoLaunchClaims) -> None:
    assert claims.claim(KEY, "run-a") is True
    assert claims.claim(KEY, "run-a") is True  # a retry of the same run
    assert claims.claim(KEY, "run-b") is False
    assert claims.owner(KEY) == "run-a"


def test_a_claimed_launch_is_never_passed_on_even_once_its_run_ended(
    claims: DynamoLaunchClaims, repository: RunRepository
) -> None:
    claims.claim(KEY, run(repository, "run-a"))
    end(repository, "run-a")

    assert claims.claim(KEY, "run-b") is False
    assert claims.owner(KEY) == "run-a"


def test_a_reused_key_passes_on_once_its_run_ended_not_before(
    claims: DynamoLaunchClaims, repository: RunRepository
) -> None:
    key = "omnidimension:simulation:456"
    claims.claim(key, run(repository, "run-a"), reusable=True)

    assert claims.claim(key, "run-b", reusable=True) is False
    end(repository, "run-a")
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
    claims: DynamoLaunchClaims, repository: RunRepository
) -> None:
    claims.hold(SCOPE, run(repository, "run-a"))
    claims.hold(SCOPE, "run-a")

    with pytest.raises(LaunchBusy) as busy:
        claims.hold(SCOPE, run(repository, "run-b"))
    assert (busy.value.scope, busy.value.holder) == (SCOPE, "run-a")


def test_a_released_scope_is_free(claims: DynamoLaunchClaims, repository: RunRepository) -> None:
    claims.hold(SCOPE, run(repository, "run-a"))
    claims.release(SCOPE, "run-b")  # not the holder: nothing happens
    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, run(repository, "run-b"))

    claims.release(SCOPE, "run-a")
    claims.hold(SCOPE, "run-b")


def test_a_scope_passes_on_once_its_holder_recorded_its_launch(
    claims: DynamoLaunchClaims, repository: RunRepository
) -> None:
    claims.hold(SCOPE, run(repository, "run-a"))
    launched(repository, "run-a")  # then died before letting the scope go

    claims.hold(SCOPE, run(repository, "run-b"))

    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, run(repository, "run-c"))


def test_an_ended_holder_keeps_its_scope_through_the_quarantine(
    claims: DynamoLaunchClaims, repository: RunRepository, clock: Clock
) -> None:
    # Given a holder that ended with its launch unsettled (it may have left one behind)
    claims.hold(SCOPE, run(repository, "run-a"))
    end(repository, "run-a")
    run(repository, "run-b")

    # Then the scope stays busy until that launch is older than any later search reaches
    clock.now = NOW + claims.quarantine - timedelta(seconds=1)
    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, "run-b")
    clock.now = NOW + claims.quarantine
    claims.hold(SCOPE, "run-b")


def test_a_live_holder_keeps_its_scope_until_it_goes_quiet(
    claims: DynamoLaunchClaims, repository: RunRepository, clock: Clock
) -> None:
    claims.hold(SCOPE, run(repository, "run-a"))
    run(repository, "run-b")

    clock.now = NOW + claims.lease_ttl - timedelta(seconds=1)
    claims.hold(SCOPE, "run-a")  # renewed on its next attempt
    clock.now = NOW + claims.lease_ttl + timedelta(seconds=1)
    with pytest.raises(LaunchBusy):
        claims.hold(SCOPE, "run-b")
    clock.now = NOW + 2 * claims.lease_ttl
    claims.hold(SCOPE, "run-b")


def test_a_busy_scope_is_waited_for(
    tables: dict[str, str], repository: RunRepository, clock: Clock
) -> None:
    # Given a holder that lets the scope go while another run waits
    def release_while_waiting(_: float) -> None:
        waiting.release(SCOPE, "run-a")

    waiting = DynamoLaunchClaims(
        boto3.client("dynamodb"),
        tables["RunItemsTable"],
        records=repository.find,
        clock=clock,
        sleep=release_while_waiting,
        wait_seconds=60,
    )
    waiting.hold(SCOPE, run(repository, "run-a"))

    waiting.hold(SCOPE, run(repository, "run-b"))

    with pytest.raises(LaunchBusy) as busy:
        waiting.wait_seconds = 0
        waiting.hold(SCOPE, run(repository, "run-c"))
    assert busy.value.holder == "run-b"
