"""The workflow's poll loop: the stack's bounds of it, how long the next wait is (`schedule`, a
pure function of the run's progress so far) and the step the Start and Poll tasks hand back to
the state machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field

from agentsim.runs.schedule import Bounds, ProgressPoint, next_wait

MAX_POLLS = 680
"""At most this many polls (template.yaml `MaxPolls`), a budget of provider calls. The polls
add nothing to the execution's history (they follow the run outside the workflow) unless their
chains are lost, and even then 680 keeps it under Step Functions' 25,000-event limit."""
MAX_DELAY_SECONDS = 900
"""The longest wait (template.yaml `PollMaxSeconds`' MaxValue): SQS delays a message 15 minutes
at most, and each poll is a delayed message (the Watch function's queue)."""
WATCH_HEARTBEAT_SECONDS = 1800
"""How long `WaitForEnd` waits for a poll's heartbeat before it polls itself: longer than the
longest wait (`MAX_DELAY_SECONDS`) and the queue's redeliveries of one poll (template.yaml
`PollQueue`: 5 receives, 60 s apart), so only a chain that stopped lets it pass."""
CALLBACK_SAFETY_SECONDS = 3600
"""A run its provider calls back about (Bluejay's webhooks) waits for the call this long at
most before it polls anyway (the `WaitForCallback` state's `TimeoutSeconds`): a lost webhook
delays a run by at most this, never loses it."""


@dataclass(frozen=True)
class Pacing:
    """The stack's bounds of the loop (template parameters `PollMinSeconds`, `PollMaxSeconds`,
    `MaxPolls`; these defaults are theirs)."""

    min_seconds: int = 15
    max_seconds: int = 600
    max_polls: int = 600

    @property
    def bounds(self) -> Bounds:
        return Bounds(self.min_seconds, self.max_seconds)


class Paced(Protocol):
    """What pacing a run needs of it (a `RunRecord`, or a `LaunchedRun` a warm poll kept)."""

    @property
    def expected_seconds(self) -> float | None: ...

    @property
    def deadline(self) -> datetime | None: ...

    @property
    def started_at(self) -> datetime | None: ...


class PollStep(BaseModel):
    """`count` polls done; wait `wait_seconds`, unless `terminal` or `past_deadline`.

    `terminal` means the provider (or the record) reached an end: collect the results next.
    `history` is what the next poll gets back (the progress `next_wait` reads); `callback` sends
    the run to the wait a provider's webhook can end early (`WaitForCallback`).
    """

    count: int
    wait_seconds: int
    status: str
    terminal: bool
    past_deadline: bool
    history: list[ProgressPoint] = Field(default_factory=list)
    callback: bool = False
    superseded: bool = False
    """A newer poll had written first (a repeated delivery of this poll, or a wait the workflow
    gave up on): `count` is then the run's as stored, so whatever polls next continues from it."""

    def waits_again(self, max_polls: int) -> bool:
        """Whether `IsFinished` sends the run to another wait: no end, deadline, poll budget or
        callback wait decides otherwise."""
        ends = self.terminal or self.past_deadline or self.callback
        return not ends and self.count < max_polls

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def elapsed(run: Paced, at: datetime) -> float:
    """Seconds from the run's launch to `at` (0 before it launched)."""
    if run.started_at is None:
        return 0.0
    return max(0.0, (at - run.started_at).total_seconds())


def wait_after(pacing: Pacing, run: Paced, history: list[ProgressPoint], now: datetime) -> int:
    """`next_wait` within the stack's bounds, for the run's estimate and deadline."""
    deadline = None
    if run.deadline is not None:
        deadline = elapsed(run, now) + (run.deadline - now).total_seconds()
    return next_wait(history, run.expected_seconds, pacing.bounds, deadline)
