"""The run workflow's Retry blocks: only transient errors, matched by their class names (the
Python runtime's errorType), with full jitter; long enough to outlast a burst of Lambda
throttles; a busy launch scope waited out by Start alone; read from the ASL without deploying."""

from __future__ import annotations

from typing import Any

import pytest
from support.stack_template import STATES

from agentsim.providers.errors import ProviderError
from agentsim.runs.errors import LaunchBusy

LAMBDA_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Lambda.Unknown",
    "Sandbox.Timedout",
    "States.ALL",
}
SQS_ERRORS = {"SQS.SdkClientException", "SQS.AmazonSQSException"}
"""What the SQS integration raises when WaitForEnd cannot send its first poll."""


def test_retries_match_only_transient_errors_by_their_class_names() -> None:
    classes = ProviderError.__subclasses__()
    transient = {cls.__name__ for cls in classes if cls.retryable}
    known = {cls.__name__ for cls in classes}
    for name, state in STATES.items():
        for retrier in state.get("Retry", []):
            errors = set(retrier["ErrorEquals"])
            assert errors <= known | LAMBDA_ERRORS | SQS_ERRORS | {LaunchBusy.__name__}, name
            assert not (errors & known) or errors == transient, name
            assert retrier["JitterStrategy"] == "FULL", name
            assert "MaxDelaySeconds" in retrier and retrier["BackoffRate"] > 1, name


def throttle_retrier(state: str) -> dict[str, Any]:
    (retrier,) = [
        r
        for r in STATES[state]["Retry"]
        if "Lambda.TooManyRequestsException" in r["ErrorEquals"]
        or r["ErrorEquals"] == ["States.ALL"]
    ]
    return retrier


@pytest.mark.parametrize(
    "state", ["Register", "Start", "Finish", "TimeOut", "RecordFailure", "PublishFinished"]
)
def test_states_run_once_a_run_outlast_a_burst_of_lambda_throttles(state: str) -> None:
    # A burst of runs (a nightly suite) starts and ends together: at the account's concurrency
    # limit Lambda throttles, and giving up after seconds would leave runs unrecorded
    # (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
    retrier = throttle_retrier(state)

    assert (retrier["IntervalSeconds"], retrier["MaxAttempts"], retrier["BackoffRate"]) == (2, 6, 2)
    assert retrier["MaxDelaySeconds"] == 30


def test_the_poll_loop_retries_a_throttle_less_than_the_states_run_once_a_run() -> None:
    # Every extra attempt per poll is history events times MaxPolls (test_runs_history_limit).
    assert throttle_retrier("Poll")["MaxAttempts"] == 5


def test_only_start_waits_out_a_busy_launch_scope() -> None:
    waiting = [
        name
        for name, state in STATES.items()
        for retrier in state.get("Retry", [])
        if LaunchBusy.__name__ in retrier["ErrorEquals"]
    ]
    assert waiting == ["Start"]


@pytest.mark.parametrize("state", ["Start", "Poll", "Finish"])
def test_provider_steps_retry_a_throttled_or_unavailable_provider(state: str) -> None:
    # The Lambda task's error name is the exception's class (the Python runtime's errorType)
    transient = sorted(cls.__name__ for cls in ProviderError.__subclasses__() if cls.retryable)
    assert transient == ["ProviderThrottled", "ProviderUnavailable"]
    retriers = [r for r in STATES[state]["Retry"] if sorted(r["ErrorEquals"]) == transient]
    assert len(retriers) == 1, state
    assert retriers[0]["MaxAttempts"] >= 3 and retriers[0]["IntervalSeconds"] >= 1, state
