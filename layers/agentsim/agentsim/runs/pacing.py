"""The workflow's poll loop: how long to wait before the next poll, and the step the Start and
Poll tasks hand back to the state machine.

Short at first (a run can fail fast, and a user watches the first minute), then growing
geometrically toward a cap tied to the expected duration: polling every ~1/10 of the expected
run keeps the number of polls per run roughly constant whatever its length. Everything is
clamped to [minimum, maximum] from the template parameters, and never past the deadline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

MAX_POLLS = 680
"""At most this many polls (template.yaml `MaxPolls`): one poll is 9 history events, 36 with
every retry, so 680 keeps an execution under Step Functions' 25,000-event limit."""
GROWTH = 1.5
"""Each wait is this much longer than the previous one."""
FRACTION_OF_EXPECTED = 0.1
"""The wait grows up to this share of the expected duration."""


def next_wait(
    poll_count: int,
    expected_seconds: float | None,
    *,
    minimum: int,
    maximum: int,
    now: datetime | None = None,
    deadline: datetime | None = None,
) -> int:
    """Seconds to wait after poll number `poll_count` (0 = before the first poll)."""
    if minimum < 1 or maximum < minimum:
        raise ValueError(f"need 1 <= minimum <= maximum, got {minimum}..{maximum}")
    grown = minimum * GROWTH ** max(poll_count, 0)
    cap = float(maximum)
    if expected_seconds is not None and expected_seconds > 0:
        cap = min(cap, max(float(minimum), expected_seconds * FRACTION_OF_EXPECTED))
    wait = min(grown, cap)
    if now is not None and deadline is not None:
        # Wake up just after the deadline rather than long past it.
        wait = min(wait, max(1.0, (deadline - now).total_seconds() + 1))
    return max(minimum, min(maximum, math.ceil(wait)))


@dataclass(frozen=True)
class Pacing:
    """The stack's bounds of the loop (template parameters `PollMinSeconds`, `PollMaxSeconds`,
    `MaxPolls`; these defaults are theirs)."""

    min_seconds: int = 15
    max_seconds: int = 300
    max_polls: int = 600


class Paced(Protocol):
    """What pacing a run needs of it (a `RunRecord`, or a `LaunchedRun` a warm poll kept)."""

    @property
    def expected_seconds(self) -> float | None: ...

    @property
    def deadline(self) -> datetime | None: ...


class PollStep(BaseModel):
    """`count` polls done; wait `wait_seconds`, unless `terminal` or `past_deadline`.

    `terminal` means the provider (or the record) reached an end: collect the results next.
    """

    count: int
    wait_seconds: int
    status: str
    terminal: bool
    past_deadline: bool

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def wait_after(pacing: Pacing, run: Paced, poll_count: int, now: datetime) -> int:
    """`next_wait` within the stack's bounds, for the run's expected duration and deadline."""
    return next_wait(
        poll_count,
        run.expected_seconds,
        minimum=pacing.min_seconds,
        maximum=pacing.max_seconds,
        now=now,
        deadline=run.deadline,
    )
