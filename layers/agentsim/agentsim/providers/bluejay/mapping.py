"""From Bluejay's run and result records to the neutral poll status, verdicts and totals.

Poll status (run word first, results as the tie-breaker):
- INITIALIZING -> PENDING; RUNNING -> RUNNING.
- COMPLETED -> COMPLETED, unless a result is still non-terminal (counters lag): RUNNING.
- INCOMPLETED / INSUFFICIENT_FUNDS -> FAILED.
- Any other word (or none) -> COMPLETED once there are results and all are terminal, else RUNNING.
Bluejay has no "stopped" run: after end-conversations the run completes, so the workflow
records STOPPED itself.

A lost queue call: Bluejay takes no idempotency key, so the evidence is the runs of the
simulation created at or after the attempt (minus `CLOCK_SKEW`, for drift between our clock and
Bluejay's), newest first; runs of one simulation are told apart only by time.

Verdict of one result:
- FAILED when its status is a terminal failure (incl. unrecognised words, see `statuses`);
- else FAILED when any evaluation's goal (a human override wins) is false;
- else PASSED when it is COMPLETED and at least one evaluation says the goal succeeded;
- else NONE: still running, or evaluated without a goal verdict (`goal_success: null`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from agentsim.providers.base import CaseResult, CaseVerdict, PollResult, SimulationStatus
from agentsim.providers.bluejay.responses import RunResults, SimulationResult, SimulationRunRecord
from agentsim.providers.bluejay.statuses import (
    ResultState,
    RunState,
    is_known_result_status,
    result_state,
    run_state,
)
from agentsim.providers.lenient import as_utc

CLOCK_SKEW = timedelta(seconds=60)


def poll_status(results: RunResults) -> PollResult:
    run = results.simulation_run
    cases = results.simulation_results
    pending = sum(1 for r in cases if not result_state(r.status).terminal)
    state = run_state(run.status)
    if state is RunState.INITIALIZING:
        status = SimulationStatus.PENDING
    elif state is RunState.RUNNING:
        status = SimulationStatus.RUNNING
    elif state is RunState.FAILED:
        status = SimulationStatus.FAILED
    elif pending or (state is RunState.UNKNOWN and not cases):
        status = SimulationStatus.RUNNING
    else:
        status = SimulationStatus.COMPLETED
    word = run.status or "UNKNOWN"
    message = None if state is not RunState.UNKNOWN else f"unrecognised run status {word!r}"
    if state is RunState.FAILED:
        message = run.summary or f"Bluejay run ended {word}"
    return PollResult(
        status=status,
        progress=_progress(results, pending, terminal=status.terminal),
        fraction=_fraction(results, pending, terminal=status.terminal),
        provider_status=word,
        message=message,
    )


def _progress(results: RunResults, pending: int, *, terminal: bool) -> int:
    fraction = _fraction(results, pending, terminal=terminal)
    return 0 if fraction is None else math.floor(fraction * 100)


def _fraction(results: RunResults, pending: int, *, terminal: bool) -> float | None:
    """Results in a terminal status over all results, else the run's `tests_completed` over
    `total_tests`; None when the answer has neither."""
    if terminal:
        return 1.0
    total = len(results.simulation_results)
    if total:
        return (total - pending) / total
    run = results.simulation_run
    if run.total_tests and run.tests_completed is not None:
        return max(0.0, min(1.0, run.tests_completed / run.total_tests))
    return None


def verdict(result: SimulationResult) -> CaseVerdict:
    state = result_state(result.status)
    if state is ResultState.FAILED:
        return CaseVerdict.FAILED
    goals = [e.goal for e in result.evaluations if e.goal is not None]
    if False in goals:
        return CaseVerdict.FAILED
    if state is ResultState.SUCCEEDED and goals:
        return CaseVerdict.PASSED
    return CaseVerdict.NONE


def case_result(result: SimulationResult, names: Mapping[str, str]) -> CaseResult:
    reasons = [e.reasoning for e in result.evaluations if e.reasoning]
    if not is_known_result_status(result.status):
        reasons.insert(0, f"unrecognised result status {result.status!r}, counted as failed")
    return CaseResult(
        case_id=result.id,
        name=names.get(result.digital_human_id or ""),
        # A Bluejay case is a digital human (a test identity) of the simulation.
        case_key=names.get(result.digital_human_id or "") or result.digital_human_id,
        verdict=verdict(result),
        status=result.status,
        reasoning="\n".join(reasons) or None,
        transcript_url=result.transcript_url,
        recording_url=result.audio_url,
        duration_seconds=None if result.duration is None else result.duration / 1000,
        raw=result.raw(),
    )


def totals(results: RunResults, cases: Sequence[CaseResult]) -> tuple[int, int, int]:
    """(total, passed, failed): Bluejay's counters when present, else counted from the cases.

    Incomplete conversations count as failed, as their cases do. Whether Bluejay already
    includes them in `tests_failed` is not documented, so the sum is capped at total - passed.
    """
    run = results.simulation_run
    total = max(run.total_tests if run.total_tests is not None else len(cases), 0)
    passed = run.tests_passed
    if passed is None:
        passed = sum(1 for c in cases if c.verdict is CaseVerdict.PASSED)
    passed = max(passed, 0)
    if run.tests_failed is None:
        failed = sum(1 for c in cases if c.verdict is CaseVerdict.FAILED)
    else:
        failed = min(run.tests_failed + (run.tests_incompleted or 0), max(total - passed, 0))
    return total, passed, max(failed, 0)


def recent_runs(
    runs: Iterable[SimulationRunRecord], attempted_at: datetime
) -> list[SimulationRunRecord]:
    """The runs created at or after `attempted_at` (less the clock skew), newest first."""
    since = as_utc(attempted_at) - CLOCK_SKEW
    dated = [(as_utc(r.created_at), r) for r in runs if r.created_at is not None]
    recent = [(created, r) for created, r in dated if created >= since]
    recent.sort(
        key=lambda pair: (pair[0], int(pair[1].id) if pair[1].id.isdigit() else 0), reverse=True
    )
    return [run for _, run in recent]
