"""Synthflow status words and what they mean for a run.

A simulation's `status` says whether it ran: the reference's enum is `in-progress | completed |
failed` (`failed` is an execution error, with `error_info`). Whether the agent passed is another
matter, its `success_criteria_analysis` (see `mapping`).

- completed, complete -> COMPLETED; failed -> FAILED
- cancelled, canceled, stopped, aborted -> STOPPED: not in the enum, but terminal in plain
  English, so they end polling instead of hanging
- pending-like words, or none -> PENDING
- any other word (in-progress among them) -> RUNNING, the word kept as `provider_status`
"""

from __future__ import annotations

from agentsim.providers.base import SimulationStatus

PENDING_WORDS = frozenset({"pending", "queued", "created", "scheduled", "not-started", "waiting"})
STOPPED_WORDS = frozenset({"cancelled", "canceled", "stopped", "aborted"})


def simulation_status(word: str | None) -> SimulationStatus:
    """The neutral status of a simulation's `status` word (`_` read as `-`, any case)."""
    normalized = (word or "").strip().lower().replace("_", "-")
    if normalized in {"completed", "complete"}:
        return SimulationStatus.COMPLETED
    if normalized == "failed":
        return SimulationStatus.FAILED
    if normalized in STOPPED_WORDS:
        return SimulationStatus.STOPPED
    if not normalized or normalized in PENDING_WORDS:
        return SimulationStatus.PENDING
    return SimulationStatus.RUNNING
