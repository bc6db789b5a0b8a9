"""What a warm function keeps between invocations, and how long its provider calls may take.

Over real HTTP (the emulator) and moto: a provider slower than the invocation's remaining time
makes the task raise the classified `ProviderUnavailable` (what the state machine retries),
never run into the Lambda timeout; a warm poll reads nothing and writes once; every adapter a
function makes talks through one kept client per provider, which never holds the key.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from support.aws_fixtures import API_KEYS, Stack, dynamodb_calls
from support.handlers import LambdaContext, answer, api_event, load_handler, sample_event
from support.run_requests import bluejay_request, launches

from agentsim.providers.base import ProviderName
from agentsim.providers.deadline import Deadline
from agentsim.providers.errors import ProviderUnavailable
from agentsim.providers.transport import ClientPool
from agentsim.runs.envelope import parse_request
from agentsim.runs.poll import poll
from agentsim.runs.record import Origin, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.submit import submit
from agentsim.runs.wiring import build_services


class ShortContext(LambdaContext):
    """A Lambda context with only `seconds` left of the invocation."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def get_remaining_time_in_millis(self) -> int:
        return int(self.seconds * 1000)


def invoke(handler: Any, name: str, run_id: str, context: Any = None, **fields: Any) -> Any:
    event = {**sample_event(f"sfn_{name}.json"), "run_id": run_id, **fields}
    return handler.lambda_handler(event, context or LambdaContext())


def registered(services: Services, run_id: str = "run-budget") -> str:
    submit(services, run_id, parse_request(bluejay_request()), Origin.WEBHOOK)
    register = load_handler("register")
    invoke(register, "register", run_id, input={"run_id": run_id}, started_at=datetime.now(UTC))
    return run_id


def running_on_a_slow_provider(services: Services, emulator: Any) -> str:
    """A launched run whose provider now holds its answers for 4 s; its run id."""
    run_id = registered(services)
    start(services, run_id)
    emulator.faults.add(provider="bluejay", kind="slow", delay=4.0, times=5)
    return run_id


def test_a_poll_slower_than_the_time_left_raises_provider_unavailable(
    services: Services, emulator: Any
) -> None:
    # Given a running run and a provider that now holds its answers for 4 s
    run_id = running_on_a_slow_provider(services, emulator)

    # When the poll runs with 5 s left of its invocation (2 s once the margin is kept back)
    with pytest.raises(ProviderUnavailable) as caught:
        invoke(load_handler("poll"), "poll", run_id, ShortContext(5.0), poll_count=0)

    # Then the error is the classified one Step Functions retries, and nothing was written
    assert caught.value.retryable
    assert services.runs.get(run_id).poll_count == 0


def test_a_launch_cut_short_by_the_time_left_is_ambiguous_and_never_repeated(
    services: Services, emulator: Any
) -> None:
    # Given a provider that processes the paid launch but answers after 7 s
    run_id = registered(services)
    emulator.faults.add(
        provider="bluejay", kind="slow", delay=7.0, path_contains="queue-simulation-run", times=1
    )
    handler = load_handler("start")

    # When Start runs with 8 s left (5 s for its calls: the free create fits, the launch not)
    with pytest.raises(ProviderUnavailable) as caught:
        invoke(handler, "start", run_id, ShortContext(8.0))
    assert caught.value.ambiguous

    # Then Step Functions' retry adopts the launch the provider made: one paid launch in all
    time.sleep(7.5)  # the held answer is sent meanwhile
    step = invoke(handler, "start", run_id)
    assert step["status"] == "RUNNING"
    assert len(launches(emulator, "bluejay")) == 1


def test_an_invocation_already_out_of_time_sends_nothing(services: Services, emulator: Any) -> None:
    run_id = registered(services)
    start(services, run_id)
    before = len(emulator.calls.list("bluejay"))

    with pytest.raises(ProviderUnavailable) as caught:
        invoke(load_handler("poll"), "poll", run_id, ShortContext(2.0), poll_count=0)

    assert not caught.value.ambiguous
    assert len(emulator.calls.list("bluejay")) == before


def test_a_warm_poll_reads_nothing_and_writes_once(services: Services, stack: Stack) -> None:
    # Given a launched run and a poll function that has polled it once (its cold start)
    run_id = registered(services)
    start(services, run_id)
    handler = load_handler("poll")
    invoke(handler, "poll", run_id, poll_count=0)
    calls = dynamodb_calls(handler.lambda_handler.services())

    # When it polls again, warm
    step = invoke(handler, "poll", run_id, poll_count=1)

    # Then its only DynamoDB call is the conditional update, and the update landed
    assert calls == ["UpdateItem"]
    assert step["count"] == 2
    assert services.runs.get(run_id).poll_count == 2


def test_every_adapter_of_a_function_shares_one_client_that_holds_no_key(
    stack: Stack, emulator: Any
) -> None:
    pool = ClientPool()
    services = build_services(stack.settings(), clients=pool)
    run_id = registered(services)
    start(services, run_id)

    for count in range(3):
        poll(services, run_id, count)

    assert len(pool) == 1
    client = pool.client("bluejay", stack.base_urls["bluejay"].rstrip("/") + "/")
    assert not client.is_closed
    assert API_KEYS["bluejay"] not in str(dict(client.headers))
    assert "x-api-key" not in {name.lower() for name in client.headers}
    assert {c["path"] for c in emulator.calls.list("bluejay")}  # the calls went out over it
    pool.close()


def test_provider_adapters_get_the_invocation_deadline(stack: Stack) -> None:
    services = build_services(stack.settings()).within(Deadline.after(12.0))

    with services.providers(ProviderName.BLUEJAY) as provider:
        deadline = provider.client._http.deadline  # type: ignore[attr-defined]

    assert deadline is not None and 11.0 < deadline.remaining() <= 12.0


def test_a_stop_request_answers_503_before_api_gateway_would_give_up(
    services: Services, emulator: Any
) -> None:
    # Given a running run, a provider that holds its answers for 4 s, and a stop request that
    # reached API Gateway 24 s ago (a cold start): 29 - 24 - 3 (margin) = 2 s for the provider
    run_id = running_on_a_slow_provider(services, emulator)
    event = api_event("POST", f"/simulations/{run_id}/stop", path_parameters={"run_id": run_id})
    event["resource"] = event["requestContext"]["resourcePath"] = "/simulations/{run_id}/stop"
    event["requestContext"]["requestTimeEpoch"] = int((time.time() - 24) * 1000)

    # When the API handles it
    status, _, body = answer(load_handler("api").lambda_handler(event, LambdaContext()))

    # Then it answers the provider error itself (retry later), not API Gateway's 504
    assert status == 503
    assert body["message"].startswith("provider error")
    assert services.runs.get(run_id).status is RunStatus.RUNNING
