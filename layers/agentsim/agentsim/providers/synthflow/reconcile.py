"""Recognising an earlier start among Synthflow's simulations and sessions.

Used by `launch_candidates` after an ambiguous start failure. A single case is launched into a
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

from agentsim.providers.lenient import as_utc
from agentsim.providers.synthflow.models import SimulationReadOut, SimulationSessionReadOut

CLOCK_SKEW = timedelta(seconds=30)
"""Tolerance between our clock (attempted_at) and Synthflow's created_at."""

_OLDEST = datetime.min.replace(tzinfo=UTC)
_NEWEST = datetime.max.replace(tzinfo=UTC)


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
