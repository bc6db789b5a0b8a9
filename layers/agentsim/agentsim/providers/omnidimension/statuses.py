"""OmniDimension status words and what they mean for a run.

The OpenAPI enum is Draft | Pending | In Progress | Calculating Summary | Completed | Stopped,
walked in that order (a stop leads to Stopped). There is no failure status in the enum; Failed
and Error are still read as failures in case the API grows one. Words are compared ignoring
case, spaces, `_` and `-` (`IN_PROGRESS` is `In Progress`).

- Draft (never started) and Pending (queued) -> PENDING
- In Progress and Calculating Summary -> RUNNING
- Completed -> COMPLETED; Stopped -> STOPPED; Failed / Error -> FAILED
- any other word, or none -> RUNNING, the word kept as `provider_status`. Unlike Bluejay, an
  OmniDimension simulation has no per-call statuses to settle the question, and a new word is
  as likely a new phase as a new ending; the workflow's deadline bounds the wait.
"""

from __future__ import annotations

from agentsim.providers.base import SimulationStatus

STATUSES: dict[str, SimulationStatus] = {
    "draft": SimulationStatus.PENDING,
    "pending": SimulationStatus.PENDING,
    "inprogress": SimulationStatus.RUNNING,
    "calculatingsummary": SimulationStatus.RUNNING,
    "completed": SimulationStatus.COMPLETED,
    "stopped": SimulationStatus.STOPPED,
    "failed": SimulationStatus.FAILED,
    "error": SimulationStatus.FAILED,
}

ACTIVE = frozenset({"pending", "inprogress", "calculatingsummary"})
"""Started and not finished: what `stop` can still stop."""


def _key(status: str | None) -> str:
    return "".join(ch for ch in (status or "").lower() if ch.isalnum())


def neutral_status(status: str | None) -> SimulationStatus | None:
    """The neutral status of a word; None when the word is unknown (or missing)."""
    return STATUSES.get(_key(status))


def is_draft(status: str | None) -> bool:
    """Created and never started."""
    return _key(status) == "draft"


def is_active(status: str | None) -> bool:
    """Started and still going: Pending, In Progress or Calculating Summary."""
    return _key(status) in ACTIVE


def same_status(first: str | None, second: str | None) -> bool:
    """The same word, ignoring case, spaces, `_` and `-`."""
    return _key(first) == _key(second)
