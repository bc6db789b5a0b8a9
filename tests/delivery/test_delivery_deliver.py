"""One delivery step after another, as the delivery workflow calls it: each attempt stored on
the run (moto DynamoDB), what failed tried again when due, for an hour at most."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from delivery_world import NOTIFY_URL, SENDERS, World
from support.records import START, Clock
from support.run_requests import synthflow_request

from agentsim.delivery.attempts import Moment, Outcome, Target
from agentsim.delivery.deliver import Deliverer, Pending, deliver
from agentsim.delivery.outbound import Outbound
from agentsim.runs.envelope import parse_request
from agentsim.runs.record import Origin, RunRecord
from agentsim.runs.run_store import DynamoRunStore

RUN_ID = "run-delivered"
EVENT = "SimulationRunFinished"
NOTIFY_HOST = "hooks.example.com"
SHA = "3f786850e387550fdab836ed7e6dc881de23001b"


def detail(verdict: str = "PASSED") -> dict[str, Any]:
    return {"run_id": RUN_ID, "status": "COMPLETED", "verdict": verdict, "series": "nightly"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deliverer(runs: DynamoRunStore, outbound: Outbound, clock: Clock) -> Deliverer:
    request = synthflow_request(
        notify={"url": NOTIFY_URL}, github={"repository": "octo/agent", "sha": SHA}
    )
    runs.create(RunRecord.new(RUN_ID, Origin.WEBHOOK, START, request=parse_request(request)))
    return Deliverer(runs, outbound, lambda: SENDERS, clock)


@pytest.fixture
def retrying(deliverer: Deliverer, world: World) -> Deliverer:
    """The deliverer after the run's end, whose notify URL answered it with a 500."""
    world.answers[NOTIFY_HOST] = [500]
    finish(deliverer)
    return deliverer


def finish(deliverer: Deliverer, verdict: str = "PASSED") -> Pending:
    return deliver(deliverer, EVENT, Moment.FINISHED, RUN_ID, detail(verdict))


def notify_attempts(deliverer: Deliverer) -> list[tuple[int, Outcome, int | None, str | None]]:
    record = deliverer.log.get(RUN_ID)
    return [
        (a.attempt, a.outcome, a.status_code, a.error)
        for a in record.deliveries
        if a.target is Target.NOTIFY
    ]


def test_a_500_is_stored_as_retrying_and_tried_again_in_five_seconds(
    deliverer: Deliverer, world: World
) -> None:
    world.answers[NOTIFY_HOST] = [500]

    pending = finish(deliverer)

    assert pending == Pending(True, 5)
    assert notify_attempts(deliverer) == [(1, Outcome.RETRYING, 500, None)]


def test_a_call_before_the_retry_is_due_sends_nothing_and_says_how_long(
    retrying: Deliverer, world: World, clock: Clock
) -> None:
    clock.advance(2)

    pending = finish(retrying)

    assert pending == Pending(True, 3)
    assert len(world.to(NOTIFY_HOST)) == 1


def test_the_retry_when_due_is_delivered_and_nothing_is_left(
    retrying: Deliverer, clock: Clock
) -> None:
    clock.advance(5)

    pending = finish(retrying)

    assert pending == Pending(False)
    assert notify_attempts(retrying) == [
        (1, Outcome.RETRYING, 500, None),
        (2, Outcome.DELIVERED, 200, None),
    ]


def test_what_was_delivered_is_not_sent_again(deliverer: Deliverer, world: World) -> None:
    finish(deliverer)

    again = finish(deliverer)

    assert again == Pending(False)
    assert len(world.to(NOTIFY_HOST)) == 1
    assert len(world.to("api.github.com")) == 1


def test_a_4xx_is_given_up_at_once(deliverer: Deliverer, world: World) -> None:
    world.answers[NOTIFY_HOST] = [404]

    assert finish(deliverer) == Pending(False)
    assert notify_attempts(deliverer) == [(1, Outcome.GAVE_UP, 404, None)]


def test_a_name_now_resolving_to_a_private_address_is_given_up_unsent(
    deliverer: Deliverer, world: World
) -> None:
    world.dns[NOTIFY_HOST] = "10.0.0.8"

    assert finish(deliverer) == Pending(False)
    assert notify_attempts(deliverer) == [(1, Outcome.GAVE_UP, None, "AddressRefused")]
    assert world.to(NOTIFY_HOST) == []


def test_a_receiver_failing_for_an_hour_is_given_up_after_a_dozen_attempts(
    deliverer: Deliverer, world: World, clock: Clock
) -> None:
    world.answers[NOTIFY_HOST] = [503] * 100
    pending = finish(deliverer)
    while pending.pending:
        clock.advance(pending.wait_seconds)
        pending = finish(deliverer)

    attempts = notify_attempts(deliverer)
    assert len(attempts) == 12
    assert [a[1] for a in attempts] == [Outcome.RETRYING] * 11 + [Outcome.GAVE_UP]
    assert clock.now - START <= timedelta(hours=1)


def test_the_start_sets_a_pending_status_once_and_never_retries_it(
    deliverer: Deliverer, world: World
) -> None:
    world.answers["api.github.com"] = [502]

    pending = deliver(deliverer, "SimulationRunStarted", Moment.STARTED, RUN_ID)

    assert pending == Pending(False)
    (attempt,) = deliverer.log.get(RUN_ID).deliveries
    assert (attempt.target, attempt.moment, attempt.outcome) == (
        Target.GITHUB,
        Moment.STARTED,
        Outcome.GAVE_UP,
    )
    assert world.to(NOTIFY_HOST) == []


def test_each_attempt_is_stored_with_when_and_how_it_went_and_no_url(
    deliverer: Deliverer, world: World
) -> None:
    finish(deliverer, verdict="REGRESSED")

    stored = [a.model_dump(mode="json") for a in deliverer.log.get(RUN_ID).deliveries]
    assert {a["target"] for a in stored} == {"notify", "github", "slack"}
    assert all(a["at"].startswith("2026-03-01T12:00:00") for a in stored)
    assert all(
        set(a) == {"target", "moment", "attempt", "at", "outcome", "status_code", "error"}
        for a in stored
    )
    assert "hooks." not in str(stored) and "SENTINEL" not in str(stored)


def test_with_too_little_invocation_time_left_the_targets_wait_for_the_next_call(
    deliverer: Deliverer, world: World
) -> None:
    pending = deliver(deliverer, EVENT, Moment.FINISHED, RUN_ID, detail(), time_left=lambda: 12)

    assert pending == Pending(True, 1)
    assert world.sent == []
    assert deliverer.log.get(RUN_ID).deliveries == []
