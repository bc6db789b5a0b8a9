"""The deadline a handler gives its provider calls, from the Lambda context (and API event)."""

from __future__ import annotations

import pytest

from agentsim.invocation import (
    API_GATEWAY_SECONDS,
    MARGIN_SECONDS,
    api_deadline,
    invocation_deadline,
)


class Context:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_a_workflow_call_ends_a_margin_before_the_invocation_does() -> None:
    deadline = invocation_deadline(Context(90_000))

    assert deadline.remaining() == pytest.approx(90 - MARGIN_SECONDS, abs=0.5)


def test_an_invocation_out_of_time_gives_a_deadline_already_past() -> None:
    assert invocation_deadline(Context(1_000)).remaining() < 0


def test_an_api_call_ends_before_api_gateway_gives_up_on_the_request() -> None:
    # Given a request that reached API Gateway 10 s ago (a cold start), Lambda still has 29 s
    now = 1_900_000_000.0
    event = {"requestContext": {"requestTimeEpoch": int((now - 10) * 1000)}}

    deadline = api_deadline(event, Context(29_000), now=lambda: now)

    # Then the call has what is left of API Gateway's 29 s, less the margin
    assert deadline.remaining() == pytest.approx(API_GATEWAY_SECONDS - 10 - MARGIN_SECONDS, abs=0.5)


def test_an_api_event_without_its_arrival_time_falls_back_to_the_lambda_time() -> None:
    for event in ({}, {"requestContext": None}, {"requestContext": {"requestTimeEpoch": "soon"}}):
        deadline = api_deadline(event, Context(20_000))
        assert deadline.remaining() == pytest.approx(20 - MARGIN_SECONDS, abs=0.5)
