"""Synthflow bodies -> the neutral PollResult / CaseResult / SimulationResults.

Two notions are kept apart: a simulation's `status` says whether it ran (`failed` is an execution
error with `error_info`), its `success_criteria_analysis.success` says whether the agent passed.
A session is a batch: it completes when every simulation has ended, even if some failed to run;
those failures become FAILED verdicts of their cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentsim.providers.base import (
    CaseResult,
    CaseVerdict,
    PollResult,
    SimulationResults,
    SimulationStatus,
)
from agentsim.providers.synthflow.models import (
    SimulationReadOut,
    SimulationSessionReadOut,
)

PENDING_WORDS = frozenset({"pending", "queued", "created", "scheduled", "not-started", "waiting"})
STOPPED_WORDS = frozenset({"cancelled", "canceled", "stopped", "aborted"})
"""Not in Synthflow's enum; terminal in plain English, so they end polling instead of hanging."""

RUNNING_PROGRESS = 50


def simulation_status(word: str | None) -> SimulationStatus:
    """`in-progress|completed|failed`; pending-like words PENDING, other unknown words RUNNING."""
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


def error_message(simulation: SimulationReadOut) -> str:
    info = simulation.error_info
    if info and info.message:
        return info.message
    return "Synthflow reports the simulation failed without error_info"


def poll_simulation(simulation: SimulationReadOut) -> PollResult:
    status = simulation_status(simulation.status)
    progress = {
        SimulationStatus.PENDING: 0,
        SimulationStatus.RUNNING: RUNNING_PROGRESS,
    }.get(status, 100)
    message = error_message(simulation) if status is SimulationStatus.FAILED else None
    return PollResult(
        status=status,
        progress=progress,
        provider_status=simulation.status or "unknown",
        message=message,
    )


@dataclass(frozen=True)
class SessionCounts:
    """A session's counts, from its counters or (when missing) from its simulations."""

    total: int
    completed: int
    failed: int
    pending: int | None
    reported_total: int

    @property
    def ended(self) -> int:
        return self.completed + self.failed

    @property
    def done(self) -> bool:
        if self.total <= 0:
            return False
        if self.ended >= self.total:
            return True
        return self.pending == 0 and self.reported_total >= self.total

    @classmethod
    def of(cls, session: SimulationSessionReadOut, expected_total: int = 0) -> SessionCounts:
        statuses = [simulation_status(s.status) for s in session.simulations]
        reported = session.total_simulations
        reported_total = reported if reported is not None else len(statuses)
        completed = session.completed_simulations
        failed = session.failed_simulations
        return cls(
            total=max(reported_total, expected_total),
            completed=(
                completed if completed is not None else statuses.count(SimulationStatus.COMPLETED)
            ),
            failed=failed if failed is not None else statuses.count(SimulationStatus.FAILED),
            pending=session.pending_simulations,
            reported_total=reported_total,
        )


def poll_session(session: SimulationSessionReadOut, expected_total: int = 0) -> PollResult:
    """Done when every simulation ended; COMPLETED even if some failed (per-case verdicts)."""
    counts = SessionCounts.of(session, expected_total)
    described = (
        f"{counts.total} total, {counts.completed} completed, {counts.failed} failed, "
        f"{counts.pending if counts.pending is not None else '?'} pending"
    )
    if counts.done:
        message = f"{counts.failed} simulation(s) failed to run" if counts.failed else None
        return PollResult(
            status=SimulationStatus.COMPLETED,
            progress=100,
            provider_status=described,
            message=message,
        )
    started = counts.ended > 0 or any(
        simulation_status(s.status) is not SimulationStatus.PENDING for s in session.simulations
    )
    progress = int(100 * min(counts.ended, counts.total) / counts.total) if counts.total else 0
    return PollResult(
        status=SimulationStatus.RUNNING if started else SimulationStatus.PENDING,
        progress=min(progress, 99),
        provider_status=described,
    )


def _criteria_verdict(simulation: SimulationReadOut) -> bool | None:
    analysis = simulation.success_criteria_analysis
    if analysis is None:
        return None
    if analysis.success is not None:
        return analysis.success
    verdicts = [e.success for e in analysis.evaluations or [] if e.success is not None]
    if not verdicts:
        return None
    return any(verdicts) if simulation.call_success_type == "any" else all(verdicts)


def _reasoning(simulation: SimulationReadOut) -> str | None:
    analysis = simulation.success_criteria_analysis
    evaluations = (analysis.evaluations if analysis else None) or []
    criteria = simulation.success_criteria or []
    lines = []
    for index, evaluation in enumerate(evaluations):
        mark = {True: "PASS", False: "FAIL", None: "?"}[evaluation.success]
        criterion = f" {criteria[index]}:" if len(criteria) == len(evaluations) else ""
        lines.append(f"{mark}{criterion} {evaluation.reasoning or ''}".rstrip())
    return "\n".join(lines) or None


def _duration(simulation: SimulationReadOut) -> float | None:
    seconds = [s for e in simulation.timeline or [] if (s := e.seconds) is not None]
    if len(seconds) >= 2:
        return max(seconds) - min(seconds)
    return None


def case_result(simulation: SimulationReadOut) -> CaseResult:
    """One simulation as a case: execution failure or criteria verdict."""
    status = simulation_status(simulation.status)
    verdict = CaseVerdict.NONE
    reasoning = _reasoning(simulation)
    if status is SimulationStatus.FAILED:
        verdict, reasoning = CaseVerdict.FAILED, error_message(simulation)
    elif status is SimulationStatus.COMPLETED:
        passed = _criteria_verdict(simulation)
        if passed is not None:
            verdict = CaseVerdict.PASSED if passed else CaseVerdict.FAILED
    transcript = (
        [e.model_dump(mode="json", exclude_none=True) for e in simulation.timeline]
        if simulation.timeline is not None
        else None
    )
    return CaseResult(
        case_id=simulation.simulation_id,
        name=simulation.simulation_case_name,
        verdict=verdict,
        status=simulation.status,
        reasoning=reasoning,
        transcript=transcript,
        recording_url=simulation.recording_url,
        duration_seconds=_duration(simulation),
        raw=simulation.raw(),
    )


def simulation_results(
    simulations: list[SimulationReadOut], raw: dict[str, object]
) -> SimulationResults:
    cases = [case_result(s) for s in simulations]
    passed = sum(c.verdict is CaseVerdict.PASSED for c in cases)
    failed = sum(c.verdict is CaseVerdict.FAILED for c in cases)
    not_run = sum(simulation_status(s.status) is SimulationStatus.FAILED for s in simulations)
    summary = f"{passed} of {len(cases)} passed"
    if not_run:
        summary += f"; {not_run} failed to run"
    return SimulationResults(
        total=len(cases),
        passed=passed,
        failed=failed,
        has_verdicts=True,
        summary=summary,
        cases=cases,
        raw=dict(raw),
    )
