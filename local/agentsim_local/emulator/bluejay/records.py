"""Bluejay records: simulations, digital humans, runs and results, statuses read off the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentsim_local.emulator.directives import Outcome
from agentsim_local.emulator.state import Timeline

TERMINAL = ("COMPLETED", "INCOMPLETED")
DEFAULT_HUMANS = (
    ("Polite caller", "Book an appointment for next Tuesday morning.", "Appointment booked"),
    ("Confused caller", "Ask about opening hours, mixing up the days.", "Correct hours given"),
    (
        "Impatient caller [emulator:fail]",
        "Demand a refund immediately and interrupt often.",
        "Caller calmed down and refund explained",
    ),
)


@dataclass
class DigitalHuman:
    id: int
    name: str | None
    intent: str
    success_criteria: str
    phone_number: str
    created_at: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Simulation:
    id: int
    agent_id: int
    name: str
    created_at: float
    fields: dict[str, Any]
    human_ids: list[int]
    default_humans: bool = True


@dataclass
class Result:
    id: int
    run_id: int
    human: DigitalHuman
    outcome: Outcome
    timeline: Timeline

    def status(self, now: float) -> str:
        phase = self.timeline.phase(now)
        if phase == "queued":
            return "QUEUED"
        if phase == "talking":
            return "RUNNING"
        if self.outcome == "error":
            return "INCOMPLETED"
        return "EVALUATING" if phase == "evaluating" else "COMPLETED"


@dataclass
class Run:
    id: int
    simulation_id: int
    agent_id: int
    created_at: float
    results: list[Result]


@dataclass(frozen=True)
class Ended:
    """Which results an end-conversations call ended, and which it could not (not running)."""

    ended: list[int]
    failed: list[int]
