"""Bluejay status words and what they mean for a run.

Run status (`simulation_run.status`): the OpenAPI enum is INITIALIZING | RUNNING | COMPLETED |
INCOMPLETED | INSUFFICIENT_FUNDS; bluejay-sdk 0.3.6 says RUNNING | COMPLETED (pass/fail living on
the results). Both are accepted. Any other word is judged by the results: finished only when
every result is terminal.

Result status (one conversation): a free string. Non-terminal: INITIALIZING, QUEUED, READY,
DISPATCHED, RUNNING, CONVERSATION_ENDED, EVALUATING, and a missing status (nothing reported yet).
COMPLETED is the only success. INCOMPLETED, REJECTED, INSUFFICIENT_FUNDS and the runtime words
NO_ANSWER, NO_CONNECTION, CALL_DROPPED are failures. Decision: any OTHER word is a terminal
failure too. Bluejay says cancel/failure detail lives on result statuses, so an unknown word is
far more likely a new way of ending than a new way of waiting, and treating it as in-flight could
keep a finished run polling until the workflow times out.
"""

from __future__ import annotations

from enum import StrEnum


class RunState(StrEnum):
    INITIALIZING = "INITIALIZING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    UNKNOWN = "UNKNOWN"


class ResultState(StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"

    @property
    def terminal(self) -> bool:
        return self is not ResultState.PENDING


RUN_STATES: dict[str, RunState] = {
    "INITIALIZING": RunState.INITIALIZING,
    "RUNNING": RunState.RUNNING,
    "COMPLETED": RunState.COMPLETED,
    "INCOMPLETED": RunState.FAILED,
    "INSUFFICIENT_FUNDS": RunState.FAILED,
}

RESULT_PENDING = frozenset(
    {
        "INITIALIZING",
        "QUEUED",
        "READY",
        "DISPATCHED",
        "RUNNING",
        "CONVERSATION_ENDED",
        "EVALUATING",
    }
)
RESULT_SUCCEEDED = frozenset({"COMPLETED"})
RESULT_FAILED = frozenset(
    {"INCOMPLETED", "REJECTED", "INSUFFICIENT_FUNDS", "NO_ANSWER", "NO_CONNECTION", "CALL_DROPPED"}
)

ENDABLE = frozenset({"INITIALIZING", "QUEUED", "READY", "DISPATCHED", "RUNNING"})
"""Result statuses whose conversation has not ended yet: what end-conversations should stop."""


def _word(status: str | None) -> str:
    return (status or "").strip().upper()


def run_state(status: str | None) -> RunState:
    return RUN_STATES.get(_word(status), RunState.UNKNOWN)


def result_state(status: str | None) -> ResultState:
    word = _word(status)
    if not word or word in RESULT_PENDING:
        return ResultState.PENDING
    if word in RESULT_SUCCEEDED:
        return ResultState.SUCCEEDED
    return ResultState.FAILED


def is_known_result_status(status: str | None) -> bool:
    word = _word(status)
    return not word or word in RESULT_PENDING | RESULT_SUCCEEDED | RESULT_FAILED


def is_endable(status: str | None) -> bool:
    """True while the conversation may still be going on (or has not started)."""
    word = _word(status)
    return not word or word in ENDABLE
