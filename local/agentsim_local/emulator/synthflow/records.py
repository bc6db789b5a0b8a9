"""Synthflow records: cases, suites, simulations and sessions, and the fixtures seeded on reset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from agentsim_local.emulator.directives import Outcome
from agentsim_local.emulator.state import Timeline
from agentsim_local.emulator.synthflow.schemas import StatusValue

FIXTURE_AGENT_ID = "1726005822670-239735712159542050"
FIXTURE_SUITE_ID = UUID("0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01")
FIXTURE_CASES = (
    (
        UUID("9ad09ad3-9c22-441e-ae35-c05016a09786"),
        "Book an appointment",
        "You call to book a dental cleaning next Tuesday morning.",
        ["The agent books an appointment", "The agent confirms the date and time"],
    ),
    (
        UUID("5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"),
        "Angry caller [emulator:fail]",
        "You are furious about a double charge and demand a refund.",
        ["The agent de-escalates", "The agent explains the refund process"],
    ),
    (
        UUID("c1a3e2f4-1111-4a4a-8b8b-0c0c0c0c0c01"),
        "Dropped line [emulator:error]",
        "You call from a train and the line keeps dropping.",
        ["The agent completes the call"],
    ),
)


@dataclass
class Case:
    id: UUID
    name: str
    prompt: str
    type: str
    success_criteria: list[str]
    call_success_type: str
    suite_id: UUID | None
    base_agent_id: str | None
    created_at: float
    updated_at: float


@dataclass
class Suite:
    id: UUID
    name: str
    model_id: str
    language: str
    created_at: float
    updated_at: float


@dataclass
class Simulation:
    id: UUID
    session_id: UUID
    case: Case  # snapshot taken at start
    target_agent_id: str
    custom_variables: dict[str, Any] | None
    outcome: Outcome
    timeline: Timeline

    def status(self, now: float) -> StatusValue:
        phase = self.timeline.phase(now)
        if self.outcome == "error" and phase in ("evaluating", "done"):
            return "failed"
        return "completed" if phase == "done" else "in-progress"


@dataclass
class Session:
    id: UUID
    target_agent_id: str
    created_at: float
    simulation_ids: list[UUID] = field(default_factory=list)


@dataclass(frozen=True)
class Execution:
    """A suite executed: the session its cases started in."""

    session_id: UUID
    suite: Suite
    cases: list[Case]
