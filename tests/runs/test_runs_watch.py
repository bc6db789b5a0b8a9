"""The polls outside the workflow (`agentsim.runs.watch`): each delivery polls the provider, then
sends the next poll after the schedule's wait or ends `WaitForEnd` with its step; a repeated
delivery goes no further; a transient fault is left to the queue's redelivery, any other ends
the wait with its name. On moto's SQS and Step Functions, with the calls read as sent."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from support.aws_fixtures import API_KEYS
from support.run_requests import bluejay_request
from support.stack_template import STATES
from support.waiting import wait_until
from support.workflow_steps import submitted

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.runs.aws import SqsRechecks, StepFunctionsWakes
from agentsim.runs.fail import error_from_catch
from agentsim.runs.pacing import MAX_DELAY_SECONDS, PollStep
from agentsim.runs.poll import poll
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.watch import RETRY, TRANSIENT, Recheck, Watched, watch

TOKEN = "wait-for-end-token"


class Sent:
    """The Step Functions and SQS calls `services` make from now on, with their parameters."""

    def __init__(self, services: Services) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        assert isinstance(services.wakes, StepFunctionsWakes)
        assert isinstance(services.rechecks, SqsRechecks)
        services.wakes.client().meta.events.register("provide-client-params.sfn", self._record)
        services.rechecks.client.meta.events.register("provide-client-params.sqs", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.calls.append((model.name, params))

    def named(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == operation]


def first_poll(services: Services, run_id: str) -> Recheck:
    """What WaitForEnd sends after Start."""
    step = start(services, run_id)
    return Recheck(run_id=run_id, task_token=TOKEN, poll_count=step.count, history=step.history)


def test_a_poll_of_a_running_run_sends_the_next_one_after_the_schedules_wait(
    services: Services,
) -> None:
    message = first_poll(services, submitted(services, bluejay_request()))
    sent = Sent(services)

    watched = watch(services, message)

    assert watched is Watched.SENT
    (sqs,) = sent.named("SendMessage")
    following = Recheck.model_validate_json(sqs["MessageBody"])
    assert following.poll_count == message.poll_count + 1
    assert following.task_token == TOKEN and following.history
    assert services.pacing.min_seconds <= sqs["DelaySeconds"] <= services.pacing.max_seconds
    assert sent.named("SendTaskHeartbeat") == [{"taskToken": TOKEN}]
    assert services.runs.get(message.run_id).poll_count == message.poll_count + 1


def test_a_poll_that_sees_the_end_resumes_the_wait_with_its_step(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    message = first_poll(services, run_id)
    handle = services.runs.get(run_id).expect_handle()
    with services.providers(ProviderName.BLUEJAY) as provider:
        wait_until(lambda: provider.poll(handle).status, lambda status: status.terminal)
    sent = Sent(services)

    watched = watch(services, message)

    assert watched is Watched.RESUMED
    (success,) = sent.named("SendTaskSuccess")
    step = PollStep.model_validate_json(success["output"])
    assert success["taskToken"] == TOKEN
    assert step.terminal and step.count == message.poll_count + 1
    assert not sent.named("SendMessage")


def test_a_poll_that_spends_the_poll_budget_resumes_the_wait_for_the_timeout(
    services: Services,
) -> None:
    message = first_poll(services, submitted(services, bluejay_request()))
    last = message.model_copy(update={"poll_count": services.pacing.max_polls - 1})
    sent = Sent(services)

    watched = watch(services, last)

    assert watched is Watched.RESUMED
    (success,) = sent.named("SendTaskSuccess")
    step = PollStep.model_validate_json(success["output"])
    assert step.count == services.pacing.max_polls and not step.terminal
    assert not sent.named("SendMessage")


def test_a_repeated_delivery_goes_no_further(services: Services) -> None:
    message = first_poll(services, submitted(services, bluejay_request()))
    watch(services, message)
    sent = Sent(services)

    again = watch(services, message)

    assert again is Watched.SUPERSEDED
    assert not sent.named("SendMessage") and not sent.named("SendTaskSuccess")
    assert services.runs.get(message.run_id).poll_count == message.poll_count + 1


def unreachable(name: ProviderName) -> SimulationProvider:
    return create_provider(name, API_KEYS[name.value], base_url="http://127.0.0.1:9")


def test_a_transient_fault_sends_the_same_poll_again_after_a_backoff(services: Services) -> None:
    message = first_poll(services, submitted(services, bluejay_request()))
    sent = Sent(services)

    watched = watch(replace(services, providers=unreachable), message)

    assert watched is Watched.RETRIED
    (sqs,) = sent.named("SendMessage")
    again = Recheck.model_validate_json(sqs["MessageBody"])
    assert again == message.model_copy(update={"attempt": 1})
    assert 0 <= sqs["DelaySeconds"] <= RETRY.base_delay
    assert not sent.named("SendTaskFailure") and not sent.named("SendTaskHeartbeat")
    assert services.runs.get(message.run_id).poll_count == message.poll_count


def test_a_transient_fault_past_the_last_retry_ends_the_wait_with_its_name(
    services: Services,
) -> None:
    message = first_poll(services, submitted(services, bluejay_request()))
    last = message.model_copy(update={"attempt": RETRY.attempts - 1})
    sent = Sent(services)

    watched = watch(replace(services, providers=unreachable), last)

    assert watched is Watched.FAILED
    (failure,) = sent.named("SendTaskFailure")
    assert failure["error"] == "ProviderUnavailable"
    assert not sent.named("SendMessage")


def test_any_other_fault_ends_the_wait_with_its_name_for_the_failure_record(
    services: Services,
) -> None:
    run_id = submitted(services, bluejay_request())  # registered, never launched
    sent = Sent(services)

    watched = watch(services, Recheck(run_id=run_id, task_token=TOKEN))

    assert watched is Watched.FAILED
    (failure,) = sent.named("SendTaskFailure")
    assert (failure["taskToken"], failure["error"]) == (TOKEN, "RunNotLaunched")
    caught = error_from_catch({"Error": failure["error"], "Cause": failure["cause"]})
    assert caught.type == "RunNotLaunched" and run_id in caught.message
    assert not sent.named("SendMessage")


def test_a_poll_behind_the_stored_count_continues_from_the_stored_one(
    services: Services,
) -> None:
    # The workflow's own poll after a lost chain carries the count it entered WaitForEnd with
    message = first_poll(services, submitted(services, bluejay_request()))
    for _ in range(3):
        watch(services, message)
        message = message.model_copy(update={"poll_count": message.poll_count + 1})

    behind = poll(services, message.run_id, 0)

    assert behind.superseded
    assert behind.count == services.runs.get(message.run_id).poll_count == 3


def test_the_next_poll_is_the_message_the_wait_sends_first() -> None:
    # WaitForEnd's MessageBody names the fields a Recheck reads
    body = STATES["WaitForEnd"]["Parameters"]["MessageBody"]
    fields = {key.removesuffix(".$") for key in body}

    assert fields == set(Recheck.model_fields) - {"attempt"}
    assert json.loads(Recheck(run_id="r", task_token="t").model_dump_json())["attempt"] == 0


def test_transient_faults_are_retried_as_the_poll_state_retries_them() -> None:
    (retrier,) = [r for r in STATES["Poll"]["Retry"] if "ProviderUnavailable" in r["ErrorEquals"]]

    assert set(retrier["ErrorEquals"]) == {cls.__name__ for cls in TRANSIENT}
    assert retrier["MaxAttempts"] == RETRY.attempts - 1  # the ASL counts retries, not attempts
    assert (retrier["IntervalSeconds"], retrier["MaxDelaySeconds"]) == (
        RETRY.base_delay,
        RETRY.max_delay,
    )
    assert (retrier["BackoffRate"], retrier["JitterStrategy"]) == (2.0, "FULL")


def test_a_throttled_poll_waits_what_the_provider_asked_for_up_to_the_longest_delay() -> None:
    assert RETRY.backoff(0, retry_after=120) == 120
    assert RETRY.max_retry_after == MAX_DELAY_SECONDS
