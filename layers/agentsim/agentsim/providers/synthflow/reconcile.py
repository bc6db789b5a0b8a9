"""Recognising our own earlier start among Synthflow's simulations and sessions.

Used by `find_launch` after an ambiguous start failure. A single case is launched into a session
id derived from the agentsim run id, so any simulation of that case in that session is ours. A
suite execution returns a fresh session id nobody else knows, so the best evidence is a session
for the same agent, created since the attempt, holding only the suite's cases.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta

from agentsim.providers.lenient import as_utc
from agentsim.providers.synthflow.models import SimulationReadOut, SimulationSessionReadOut

CLOCK_SKEW = timedelta(seconds=30)
"""Tolerance between our clock (attempted_at) and Synthflow's created_at."""

_OLDEST = datetime.min.replace(tzinfo=UTC)
_NEWEST = datetime.max.replace(tzinfo=UTC)


def pick_simulation(
    simulations: Iterable[SimulationReadOut], case_id: str, since: datetime | None
) -> SimulationReadOut | None:
    """The newest simulation of `case_id` created at/after `since` (minus clock skew)."""
    floor = as_utc(since) - CLOCK_SKEW if since is not None else None
    matches = [
        s
        for s in simulations
        if (s.simulation_case_id is None or s.simulation_case_id == case_id)
        and (floor is None or s.created_at is None or s.created_at >= floor)
    ]
    return max(matches, key=lambda s: s.created_at or _OLDEST, default=None)


def _session_created(session: SimulationSessionReadOut) -> datetime | None:
    stamps = [s.created_at for s in session.simulations if s.created_at is not None]
    return min(stamps) if stamps else None


def pick_session(
    sessions: Iterable[SimulationSessionReadOut],
    suite_case_ids: Collection[str],
    since: datetime,
) -> SimulationSessionReadOut | None:
    """The newest session since `since` whose simulations all belong to the suite.

    Sessions carry no timestamp of their own; their first simulation's `created_at` stands in.
    A session holding exactly the suite's cases beats one holding only some of them (a single
    case run of the same agent, or a session still filling up); a session with no simulations
    listed yet is accepted (the server filtered by date already) and ranks as the newest.
    """
    floor = as_utc(since) - CLOCK_SKEW
    wanted = set(suite_case_ids)
    ranked: list[tuple[bool, datetime, SimulationSessionReadOut]] = []
    for session in sessions:
        if not session.simulation_session_id:
            continue
        created = _session_created(session)
        if created is not None and created < floor:
            continue
        case_ids = {s.simulation_case_id for s in session.simulations if s.simulation_case_id}
        if wanted and not case_ids <= wanted:
            continue
        ranked.append((case_ids == wanted, created or _NEWEST, session))
    if not ranked:
        return None
    return max(ranked, key=lambda entry: (entry[0], entry[1]))[2]
