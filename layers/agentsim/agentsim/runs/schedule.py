"""How long to wait before the next poll: aimed just after the run's expected end, found from
what the provider said about progress so far.

A pure function of (poll history, the request's estimate, the bounds, the deadline); times are
seconds since the launch. The expected end comes from progress first: progress `f` first seen at
`t` means the run cannot last longer than `t / f` if it goes on at least as fast as so far (the
earliest sighting of each level gives the tightest bound, so a step that was seen late costs
little), and no sooner than `t0 / f` for the poll at `t0` that saw less. The request's estimate
is kept while it lies in that range (give or take `PACE_SLACK`), is used when it is sooner than
the range, or while nothing has progressed; with neither, the wait is the maximum. The wait to
the expected end is cut into equal pieces no longer than the maximum (each poll refines the
end), the last landing `MARGIN_SECONDS` after it. Once the expected end has passed, the waits
grow from the minimum by doubling the time overdue (a run just late is noticed quickly, a
stalled one costs few polls). Every wait is within [minimum, maximum], so an early end is
noticed within `maximum` seconds, and none passes the deadline by more than a second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

HISTORY_KEPT = 4
"""Points a run keeps: the last rises of progress and the latest poll."""
MARGIN_SECONDS = 5.0
"""A poll aimed at the expected end lands this long after it."""
PACE_SLACK = 0.1
"""How far outside the range progress allows an estimate may lie and still be kept: a provider's
steps (a wave of calls, a result) come a little early or late, so the range is only about right
and a right estimate just outside it is not worth a poll aimed sooner."""


class ProgressPoint(BaseModel):
    """One poll: when (seconds since the launch) and how far the provider said the run was
    (0..1; None when it says nothing that measures progress)."""

    model_config = ConfigDict(frozen=True)

    elapsed: float = Field(ge=0)
    fraction: float | None = Field(default=None, ge=0, le=1)


@dataclass(frozen=True)
class Bounds:
    """The shortest and longest wait (template parameters `PollMinSeconds`, `PollMaxSeconds`)."""

    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if self.minimum < 1 or self.maximum < self.minimum:
            raise ValueError(f"need 1 <= minimum <= maximum, got {self.minimum}..{self.maximum}")


def remember(history: Sequence[ProgressPoint], point: ProgressPoint) -> list[ProgressPoint]:
    """`history` with `point` added, bounded to what `next_wait` reads: each new high of
    progress with the poll before it (the last `HISTORY_KEPT` of those) and the latest poll."""
    kept: list[ProgressPoint] = []
    high = 0.0
    previous: ProgressPoint | None = None
    for earlier in [*history, point]:
        if earlier.fraction is not None and earlier.fraction > high:
            high = earlier.fraction
            kept.extend(p for p in (previous, earlier) if p is not None and p not in kept)
        previous = earlier
    kept = kept[-HISTORY_KEPT:]
    return kept if kept and kept[-1] == point else [*kept, point]


def expected_end(history: Sequence[ProgressPoint], estimate: float | None) -> float | None:
    """When the run should end (seconds since the launch), or None with nothing to go on: the
    estimate while progress agrees with it (within `PACE_SLACK`) and it is still ahead; else
    the soonest end progress points to that is still ahead, else the latest of them (passed:
    the run is overdue)."""
    now = history[-1].elapsed if history else 0.0
    lower, candidates = _progress_ends(history)
    if estimate is not None and estimate > 0 and estimate + MARGIN_SECONDS > now:
        agrees = not candidates or (
            lower * (1 - PACE_SLACK) <= estimate <= candidates[-1] * (1 + PACE_SLACK)
        )
        if agrees:
            return estimate
    if estimate is not None and estimate > 0 and (not candidates or estimate < candidates[-1]):
        candidates.append(estimate)
    if not candidates:
        return None
    ahead = [end for end in candidates if end + MARGIN_SECONDS > now]
    return min(ahead) if ahead else max(candidates)


def next_wait(
    history: Sequence[ProgressPoint],
    estimate: float | None,
    bounds: Bounds,
    deadline: float | None = None,
) -> int:
    """Seconds to wait before the next poll (`history` empty: before the first one)."""
    if not history:
        wait = float(bounds.minimum)
    else:
        now = history[-1].elapsed
        end = expected_end(history, estimate)
        if end is None:
            wait = float(bounds.maximum)  # nothing to aim at: the bounds decide
        elif end + MARGIN_SECONDS > now:
            wait = _towards(end + MARGIN_SECONDS - now, bounds.maximum)
        else:
            wait = now - end  # overdue: double the time past the expected end
        if deadline is not None:
            wait = min(wait, max(1.0, deadline - now + 1))
    return max(bounds.minimum, min(bounds.maximum, math.ceil(wait)))


def _towards(left: float, maximum: int) -> float:
    """`left` cut into equal waits of at most `maximum`: the next one."""
    return left / max(1, math.ceil(left / maximum))


def _progress_ends(history: Sequence[ProgressPoint]) -> tuple[float, list[float]]:
    """Where progress puts the end, soonest first. A new high `f` first seen at `t`, after a
    poll at `t0` that saw less, means (at a steady pace) an end between `t0 / f` and `t / f`:
    the middle of that range for the latest high, and the latest end any high allows (the
    least `t / f`), never before its sighting (progress 1 not yet terminal: the end is now)."""
    latest: float | None = None
    middle = lower = 0.0
    high, sighted, previous = 0.0, 0.0, 0.0
    for point in history:
        fraction = point.fraction
        if fraction is not None and fraction > high:
            high, sighted = fraction, point.elapsed
            candidate = point.elapsed / fraction
            latest = candidate if latest is None else min(latest, candidate)
            middle = (previous + point.elapsed) / 2 / fraction
            lower = max(lower, previous / fraction)
        previous = point.elapsed  # a stall or a drop is no news (a count is never undone)
    if latest is None:
        return 0.0, []
    latest = max(latest, sighted)
    return lower, sorted({min(middle, latest), latest})
