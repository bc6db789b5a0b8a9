"""The polls that follow a run outside the workflow: one delayed message per poll.

While a run waits in `WaitForEnd`, a poll costs the workflow no state transition: the wait sends
the first message (its task token, the polls so far, the progress seen) to the poll queue, and
each delivery polls the provider as the `Poll` task does, then either sends the next message,
delayed by the schedule's wait, or ends the wait with the poll's step, which `IsFinished` reads
as it reads `Poll`'s. A poll then costs a provider call and a short invocation instead of three
state transitions, so the schedule can afford to check often near the expected end.

Delivery is at least once. A repeated delivery finds its poll count stored already (the write
is conditional, `poll.py`) and goes no further, so the chain never forks. A provider's
transient fault (429, 5xx, timeout) sends the same poll again after a backoff, as the `Poll`
task's retrier would (`RETRY`, full jitter, or a 429's Retry-After); past its attempts,
or on any other fault, the wait ends with the fault's name, which the workflow's Catch records
as the run's failure, as it does for `Poll`. A crash of the function itself is retried by the
queue (its visibility timeout, then the dead-letter queue). Every poll beats the wait's
heartbeat: a chain that stops (a dead-lettered message, a crash between the write and the
send) lets `HeartbeatSeconds` pass, and the workflow polls once itself and starts a new chain,
so a lost message delays a run and never loses it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel, Field

from agentsim.providers.errors import ProviderThrottled, ProviderUnavailable
from agentsim.providers.retry import RetryPolicy
from agentsim.runs.pacing import MAX_DELAY_SECONDS, PollStep
from agentsim.runs.poll import poll
from agentsim.runs.schedule import ProgressPoint
from agentsim.runs.services import Services

MAX_CAUSE = 1000


RETRY = RetryPolicy(attempts=5, base_delay=2.0, max_delay=60.0, max_retry_after=MAX_DELAY_SECONDS)
"""The `Poll` state's retrier of ProviderThrottled and ProviderUnavailable (2 s, doubling, 60 s
at most, 4 retries), and a provider's Retry-After up to the longest SQS delay."""
TRANSIENT = (ProviderThrottled, ProviderUnavailable)


class Recheck(BaseModel):
    """One message of the chain: what `WaitForEnd` sends, and each poll sends the next."""

    run_id: str = Field(min_length=1)
    task_token: str = Field(min_length=1)
    poll_count: int = Field(default=0, ge=0)
    history: list[ProgressPoint] = Field(default_factory=list)
    attempt: int = Field(default=0, ge=0)
    """Retries of this poll so far (after transient faults)."""

    def after(self, step: PollStep) -> Recheck:
        """The message of the poll after `step`."""
        return self.model_copy(
            update={"poll_count": step.count, "history": step.history, "attempt": 0}
        )


class Watched(StrEnum):
    """What one delivery did (logged)."""

    SENT = "sent"
    """The run goes on: the next poll is on its way."""
    RETRIED = "retried"
    """A transient fault: the same poll is on its way again, after a backoff."""
    RESUMED = "resumed"
    """The wait ended with this poll's step (an end, the deadline, the budget, a callback)."""
    FAILED = "failed"
    """A fault that is not transient ended the wait; the workflow records it."""
    SUPERSEDED = "superseded"
    """A newer poll had written first: this delivery was a repeat, or its wait was given up."""
    ABANDONED = "abandoned"
    """The wait had ended already (timed out, stopped): nothing follows it."""


def watch(
    services: Services, message: Recheck, on_fault: Callable[[Exception], None] = lambda _: None
) -> Watched:
    """One delivery of `message`; `on_fault` hears of each fault this handles (a metric)."""
    wakes = services.require_wakes()
    try:
        step = poll(services, message.run_id, message.poll_count, message.history)
    except Exception as exc:
        on_fault(exc)
        return _faulted(services, message, exc)
    if step.superseded:
        return Watched.SUPERSEDED
    if not step.waits_again(services.pacing.max_polls):
        resumed = wakes.resume(message.task_token, step.payload())
        return Watched.RESUMED if resumed else Watched.ABANDONED
    if not wakes.beat(message.task_token):
        return Watched.ABANDONED
    services.require_rechecks().send(message.after(step).model_dump_json(), step.wait_seconds)
    return Watched.SENT


def _faulted(services: Services, message: Recheck, exc: Exception) -> Watched:
    """A transient fault within its attempts: the same poll again, after a backoff. Any other
    (or past them): the run's, as the `Poll` state's Catch takes it."""
    if not isinstance(exc, TRANSIENT) or message.attempt + 1 >= RETRY.attempts:
        return _failed(services, message, exc)
    retry_after = exc.retry_after if isinstance(exc, ProviderThrottled) else None
    delay = math.ceil(RETRY.backoff(message.attempt, retry_after))
    again = message.model_copy(update={"attempt": message.attempt + 1})
    services.require_rechecks().send(again.model_dump_json(), delay)
    return Watched.RETRIED


def _failed(services: Services, message: Recheck, exc: Exception) -> Watched:
    """End the wait with `exc` as a Lambda task's error would (its Cause the error payload)."""
    name = type(exc).__name__
    cause = json.dumps({"errorType": name, "errorMessage": str(exc)[:MAX_CAUSE]})
    services.require_wakes().fail(message.task_token, name, cause)
    return Watched.FAILED
