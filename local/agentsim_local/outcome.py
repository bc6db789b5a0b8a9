"""What a run's end means for the command that waited for it: an exit status and one line why.

| exit | when |
|---|---|
| 0 | the run COMPLETED and its verdict is PASSED, or NONE with no gate in its request |
| 1 | the run COMPLETED and did not pass: FAILED, REGRESSED, NONE under a gate, anything else |
| 2 | bad input (decided before a run exists: `CliError`'s default) |
| 3 | the run did not complete: not finished in time, or ended TIMED_OUT, FAILED, STOPPED |

Nothing unknown passes: a verdict or status this module does not name fails (1) or counts as
not completed (3), so a new verdict the stack learns cannot turn a CI gate green by accident.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from agentsim_local.run_view import TERMINAL


class Exit(IntEnum):
    PASSED = 0
    FAILED = 1
    BAD_INPUT = 2
    UNFINISHED = 3


PASSING_VERDICTS = frozenset({"PASSED"})
UNGRADED = "NONE"


@dataclass(frozen=True)
class Outcome:
    """The exit status a run's record leads to, and the reason in words (one line)."""

    exit: Exit
    reason: str

    @property
    def passed(self) -> bool:
        return self.exit is Exit.PASSED


def gate_of(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """The gate the run was started with (its stored request's `gate`), if any."""
    request = record.get("request")
    gate = request.get("gate") if isinstance(request, Mapping) else None
    return dict(gate) if isinstance(gate, Mapping) else None


def judge(record: Mapping[str, Any], *, unfinished: str | None = None) -> Outcome:
    """The outcome of `record`; `unfinished` says why the wait ended early (timeout, signal)."""
    status = str(record.get("status") or "PENDING")
    verdict = str(record.get("verdict") or UNGRADED)
    if status not in TERMINAL:
        return Outcome(Exit.UNFINISHED, unfinished or f"the run is still {status}")
    if status != "COMPLETED":
        reason = f"the run ended {status}"
        error = _error_text(record.get("error"))
        if error:
            reason += f": {error}"
        elif unfinished:
            reason += f" ({unfinished})"
        return Outcome(Exit.UNFINISHED, reason)
    score = _score(record)
    if verdict in PASSING_VERDICTS:
        return Outcome(Exit.PASSED, f"PASSED{score}")
    if verdict == UNGRADED:
        gate = gate_of(record)
        if gate is None:
            return Outcome(Exit.PASSED, "completed; the provider graded nothing (verdict NONE)")
        return Outcome(
            Exit.FAILED,
            f"verdict NONE: no case was graded, so the gate {_gate_text(gate)} cannot pass",
        )
    reasons = record.get("verdict_reasons")  # what regressed: the score alone does not say
    why = ""
    if verdict == "REGRESSED" and isinstance(reasons, list) and reasons:
        why = ": " + "; ".join(str(r) for r in reasons)
    return Outcome(Exit.FAILED, f"{verdict}{score}{why}")


def _score(record: Mapping[str, Any]) -> str:
    results = record.get("results")
    if not isinstance(results, Mapping):
        return ""
    passed, failed = results.get("passed"), results.get("failed")
    if not isinstance(passed, int) or not isinstance(failed, int) or passed + failed == 0:
        return ""
    graded = passed + failed
    text = f": {passed} of {graded} graded cases passed ({100 * passed / graded:.0f} %)"
    gate = gate_of(record)
    return text + (f", gate {_gate_text(gate)}" if gate else ", every graded case must pass")


def _gate_text(gate: Mapping[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in gate.items()) or "{}"


def _error_text(error: Any) -> str | None:
    if isinstance(error, Mapping):
        kind, message = error.get("type"), error.get("message")
        return ": ".join(str(part) for part in (kind, message) if part) or None
    return None if error is None else str(error)
