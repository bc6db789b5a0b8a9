"""OmniDimension records: simulations, their runs and planned calls, statuses read off the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentsim_local.emulator.directives import Outcome
from agentsim_local.emulator.state import Durations

RUNNING = ("Pending", "In Progress", "Calculating Summary")
STARTABLE = ("Draft", "Stopped", "Completed")
UPDATABLE = (
    "name",
    "agent_id",
    "number_of_call_to_make",
    "concurrent_call_count",
    "max_call_duration_in_minutes",
)


@dataclass
class Call:
    """One planned call of a started simulation."""

    index: int
    scenario: dict[str, Any]
    outcome: Outcome
    start: float  # seconds after the simulation started
    end: float


@dataclass
class Run:
    started_at: float
    durations: Durations
    calls: list[Call]
    stopped_at: float | None = None
    disconnect: dict[str, int] = field(default_factory=dict)

    @property
    def calls_end(self) -> float:
        return max((c.end for c in self.calls), default=self.durations.queue)

    def status(self, now: float) -> str:
        elapsed = now - self.started_at
        if self.stopped_at is not None and now >= self.stopped_at:
            return "Stopped"
        if elapsed < self.durations.queue:
            return "Pending"
        if elapsed < self.calls_end:
            return "In Progress"
        if elapsed < self.calls_end + self.durations.summary:
            return "Calculating Summary"
        return "Completed"

    def elapsed(self, now: float) -> float:
        until = now if self.stopped_at is None else min(now, self.stopped_at)
        return until - self.started_at


@dataclass
class Simulation:
    id: int
    name: str
    agent_id: int
    number_of_call_to_make: int
    concurrent_call_count: int
    max_call_duration_in_minutes: int
    scenarios: list[dict[str, Any]]
    created_at: float
    run: Run | None = None

    def status(self, now: float) -> str:
        return "Draft" if self.run is None else self.run.status(now)


@dataclass(frozen=True)
class Stop:
    """What a stop did: `disconnect` counts when it stopped a run, else the status it found."""

    status: str
    disconnect: dict[str, int] | None = None
