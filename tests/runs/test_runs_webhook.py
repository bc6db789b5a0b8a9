"""A webhook's run: named by its Idempotency-Key, or by its body for the idempotency window;
stored once and started once, whatever the repeats (moto, the template's tables)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from support.aws_fixtures import Stack
from support.run_requests import bluejay_request

from agentsim.runs import ids
from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RequestInvalid
from agentsim.runs.services import Services
from agentsim.runs.submit import Submitted
from agentsim.runs.webhook import IdempotencyKeyReused, checked_key, submit_webhook

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def send(
    services: Services, body: dict[str, object], *, key: str | None = None, at: datetime = T0
) -> Submitted:
    services.clock = lambda: at
    signed = str(int(at.timestamp()))
    return submit_webhook(services, parse_request(body), idempotency_key=key, signed_at=signed)


def test_a_key_names_its_run_whenever_it_is_sent(services: Services) -> None:
    first = send(services, bluejay_request(), key=" deploy-9 ")
    again = send(services, bluejay_request(), key="deploy-9", at=T0 + timedelta(minutes=1))

    assert first.run_id == again.run_id == ids.run_id_for_key("deploy-9")
    assert (first.created, again.created) == (True, False)


def test_a_key_sent_again_with_another_body_within_the_window_is_refused(
    services: Services,
) -> None:
    send(services, bluejay_request(), key="deploy-9")

    with pytest.raises(IdempotencyKeyReused):
        send(services, bluejay_request(timeout_minutes=5), key="deploy-9", at=T0 + DAY / 2)


def test_past_the_window_a_key_still_names_its_first_run(services: Services) -> None:
    first = send(services, bluejay_request(), key="deploy-9")

    later = send(services, bluejay_request(timeout_minutes=5), key="deploy-9", at=T0 + 2 * DAY)

    assert (later.run_id, later.created) == (first.run_id, False)


def test_without_a_key_a_resend_of_the_body_within_the_window_is_its_first_run(
    services: Services,
) -> None:
    first = send(services, bluejay_request())

    again = send(services, bluejay_request(), at=T0 + timedelta(hours=3))

    stored = parse_request(bluejay_request()).stored()
    assert first.run_id == ids.run_id_for_body(stored, str(int(T0.timestamp())))
    assert (again.run_id, again.created) == (first.run_id, False)


def test_without_a_key_the_same_body_past_the_window_starts_a_new_run(services: Services) -> None:
    first = send(services, bluejay_request())

    later = send(services, bluejay_request(), at=T0 + 2 * DAY)

    assert later.run_id != first.run_id
    assert later.created


def test_repeats_start_no_second_execution(services: Services, stack: Stack) -> None:
    keyed = [
        send(services, bluejay_request(), key="k", at=T0 + timedelta(minutes=m)) for m in (1, 2)
    ]
    bodies = [send(services, bluejay_request(), at=T0 + timedelta(minutes=m)) for m in (1, 2)]

    sfn = boto3.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"]
    assert sorted(e["name"] for e in executions) == sorted({keyed[0].run_id, bodies[0].run_id})


@pytest.mark.parametrize("key", ["", "x" * 129, "line\nbreak", "tab\tkey"])
def test_an_unusable_key_is_refused_naming_the_header(key: str) -> None:
    with pytest.raises(RequestInvalid) as refused:
        checked_key(key)

    assert [p.path for p in refused.value.problems] == ["headers.Idempotency-Key"]
