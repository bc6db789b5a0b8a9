"""What a handler takes from its Lambda invocation for the domain: its provider calls' deadline.

Handlers call these with the Lambda context (and, for the API, the proxy event); the domain only
ever sees the resulting `Deadline`. The margin is kept back to record the outcome and answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from agentsim.providers.deadline import Deadline

MARGIN_SECONDS = 3.0
"""Time kept back from the budget: the step still writes DynamoDB and answers after the call."""
API_GATEWAY_SECONDS = 29.0
"""API Gateway's REST integration timeout, which the template keeps at its default
(https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)."""


class RemainingTime(Protocol):
    """The part of the Lambda context this needs (`awslambdaric`'s LambdaContext has it)."""

    def get_remaining_time_in_millis(self) -> int: ...


def invocation_deadline(context: RemainingTime, *, margin: float = MARGIN_SECONDS) -> Deadline:
    """`margin` seconds before the invocation runs out of time."""
    return Deadline.after(context.get_remaining_time_in_millis() / 1000 - margin)


def api_deadline(
    event: Mapping[str, Any],
    context: RemainingTime,
    *,
    margin: float = MARGIN_SECONDS,
    now: Callable[[], float] = time.time,
) -> Deadline:
    """As `invocation_deadline`, and also `margin` before API Gateway stops waiting: 29 s after
    the request arrived (`requestContext.requestTimeEpoch`, milliseconds), a cold start included.
    """
    left = context.get_remaining_time_in_millis() / 1000
    context_info = event.get("requestContext")
    arrived = context_info.get("requestTimeEpoch") if isinstance(context_info, Mapping) else None
    if isinstance(arrived, int | float) and not isinstance(arrived, bool) and arrived > 0:
        left = min(left, API_GATEWAY_SECONDS - (now() - arrived / 1000))
    return Deadline.after(left - margin)
