"""Synthflow bodies -> the neutral PollResult / CaseResult / SimulationResults, and an earlier
start recognised among Synthflow's simulations and sessions.

Two notions are kept apart: a simulation's `status` says whether it ran (`statuses`), its
`success_criteria_analysis.success` says whether the agent passed. A session is a batch: it
completes when every simulation has ended, even if some failed to run; those failures become
FAILED verdicts of their cases.

A lost start (`launch_candidates` after an ambiguous failure): a single case is launched into a
session id derived from the agentsim run id, so any simulation of that case in that session is
ours. A suite execution returns a fresh session id nobody else knows, so the evidence is a
session of the same agent, created since the attempt, holding exactly the suite's cases: a
session with fewer (another run's single case, say) is never taken for the suite's. Which of
several such sessions is ours is settled by the workflow's claims, not here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from agentsim.providers.base import (
    CaseResult,
    CaseVerdict,
    PollResult,
    SimulationResults,
    SimulationStatus,
)
from agentsim.providers.lenient import as_utc
from agentsim.providers.synthflow.responses import SimulationReadOut, SimulationSessionReadOut
from agentsim.providers.synthflow.statuses import simulation_status

CLOCK_SKEW = timedelta(seconds=30)
"""Tolerance between our clock (attempted_at) and Synthflow's created_at."""
_OLDEST = datetime.min.replace(tzinfo=UTC)
_NEWEST = datetime.max.replace(tzinfo=UTC)

RUNNING_PROGRESS = 50


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
        # A single simulation says only whether it runs: no measure of how far (None).
        fraction={SimulationStatus.PENDING: 0.0, SimulationStatus.RUNNING: None}.get(status, 1.0),
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
            fraction=1.0,
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
        fraction=min(counts.ended, counts.total) / counts.total if counts.total else None,
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
        case_key=simulation.simulation_case_id,  # the case, whichever session ran it
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


# A lost start ----------------------------------------------------------------------------------


def recent_simulations(
    simulations: Iterable[SimulationReadOut], case_id: str, since: datetime | None
) -> list[SimulationReadOut]:
    """Simulations of `case_id` created at/after `since` (minus clock skew), newest first."""
    floor = as_utc(since) - CLOCK_SKEW if since is not None else None
    matches = [
        s
        for s in simulations
        if (s.simulation_case_id is None or s.simulation_case_id == case_id)
        and (floor is None or s.created_at is None or s.created_at >= floor)
    ]
    return sorted(matches, key=lambda s: s.created_at or _OLDEST, reverse=True)


@dataclass(frozen=True)
class SessionMatch:
    session: SimulationSessionReadOut
    session_id: str
    complete: bool
    """Its simulations are exactly the suite's cases, each once; else it may still fill up."""


def _session_created(session: SimulationSessionReadOut) -> datetime | None:
    stamps = [s.created_at for s in session.simulations if s.created_at is not None]
    return min(stamps) if stamps else None


def suite_sessions(
    sessions: Iterable[SimulationSessionReadOut],
    suite_case_ids: Sequence[str] | None,
    since: datetime,
) -> list[SessionMatch]:
    """Sessions since `since` that may be an execution of the suite, complete ones first, newest
    first within each.

    Sessions carry no timestamp of their own; their first simulation's `created_at` stands in,
    and one listing no simulations yet counts as the newest (the server filtered by date).
    A session holding a case outside the suite is someone else's and left out. One holding only
    some of the suite's cases (or none yet) may be an execution still filling up: it comes back
    incomplete, never to be followed. With the suite's cases unknown, no session is complete.
    """
    floor = as_utc(since) - CLOCK_SKEW
    wanted = Counter(suite_case_ids) if suite_case_ids is not None else None
    ranked: list[tuple[bool, datetime, SessionMatch]] = []
    for session in sessions:
        session_id = session.simulation_session_id
        if not session_id:
            continue
        created = _session_created(session)
        if created is not None and created < floor:
            continue
        held = Counter(s.simulation_case_id for s in session.simulations)
        if wanted is not None and any(case not in wanted for case in held if case is not None):
            continue
        complete = wanted is not None and held == wanted
        ranked.append((complete, created or _NEWEST, SessionMatch(session, session_id, complete)))
    ranked.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return [match for _, _, match in ranked]


def unique_simulations(simulations: list[SimulationReadOut]) -> list[SimulationReadOut]:
    """Each simulation once (a session listed across pages may repeat one)."""
    by_id = {s.simulation_id: s for s in simulations}
    return list(by_id.values())
