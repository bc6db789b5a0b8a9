"""What the Start and Poll tasks hand back to the state machine's loop."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from agentsim.runs.polling import next_wait
from agentsim.runs.settings import Settings


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


def wait_after(settings: Settings, record: Paced, poll_count: int, now: datetime) -> int:
    """`next_wait` within the stack's poll bounds, for the run's expected duration and deadline."""
    return next_wait(
        poll_count,
        record.expected_seconds,
        minimum=settings.poll_min_seconds,
        maximum=settings.poll_max_seconds,
        now=now,
        deadline=record.deadline,
    )
