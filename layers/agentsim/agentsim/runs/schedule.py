"""How long to wait before the next poll: at the request's estimate while progress agrees with
it, else often across the window in which progress places the end.

A pure function of (poll history, the request's estimate, the bounds, the deadline); times are
seconds since the launch. A poll costs one provider call and a short Lambda (no state
transition), so polls go where the end is likely, and few elsewhere.

- Progress places the end: a rise to `f` first seen at `t`, after a poll at `t0` that saw less,
  means an end between `t0 / f` and `t / f` at a steady pace; the rest of the run may go
  `PACE_SLACK` faster or slower than so far, so that range widens by that share of the time
  left (none at progress 1 not yet terminal: the end is now). The window is what every kept
  rise allows, so it narrows as progress comes in.
- The estimate, while ahead and not later than the window, is aimed at: the poll lands
  `MARGIN_SECONDS` after it, reached in equal waits of at most the maximum (each poll may
  bring progress that rules it out). A right estimate costs a handful of polls.
- Otherwise the window's start is approached the same way; inside the window the polls come
  every width / `POLLS_PER_WINDOW` (a run ending there costs at most that many, noticed half
  a cadence after its end on average); past it the waits double the time overdue (a run just
  late is noticed quickly, a stalled one costs few polls). With no progress a passed estimate
  is the window; with neither, the bounds decide.
- No wait is longer than the time since the launch, so the first waits double from the
  minimum: a run that ends or fails early is noticed within its own age, and progress is seen
  while it still says much.

Every wait is within [minimum, maximum], so an early end is noticed within `maximum` seconds,
and none passes the deadline by more than a second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

HISTORY_KEPT = 4
"""Points a run keeps: the last rises of progress and the latest poll."""
MARGIN_SECONDS = 5.0
"""A poll aimed at a time (the estimate, the window's start) lands this long after it: a run
ending right on time is noticed at the first poll after it."""
PACE_SLACK = 0.25
"""How much faster or slower than so far the rest of a run may go, as a share of the time left:
a provider's steps (a wave of calls, a result) come early or late by a part of a step, which
moves the end progress points to by a share of what is left, not of the whole run (steps
15% of a step early or late, in runs of 3 to 10 steps: up to about a quarter)."""
POLLS_PER_WINDOW = 16
"""Polls across the window in which progress places the end: the cadence inside it is the
window's width over this, so an end inside is noticed about width / 32 after it and costs at
most this many polls (a poll is one provider call, so checking often near the end is cheap)."""


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
    estimate while it is aimed at (ahead, not later than progress allows), else the middle of
    the window progress places the end in, else the estimate (passed)."""
    now = history[-1].elapsed if history else 0.0
    known, window = _known(estimate), _progress_window(history)
    if known is not None and (window is None or _aimed(known, window, now)):
        return known
    return None if window is None else (window[0] + window[1]) / 2


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
        wait = min(now, _wait(now, _known(estimate), _progress_window(history), bounds))
        if deadline is not None:
            wait = min(wait, max(1.0, deadline - now + 1))
    return max(bounds.minimum, min(bounds.maximum, math.ceil(wait)))


def _wait(
    now: float, estimate: float | None, window: tuple[float, float] | None, bounds: Bounds
) -> float:
    """The wait before the bounds: to the estimate, to the window, across it, or past it."""
    if estimate is not None and _aimed(estimate, window, now):
        return _towards(estimate + MARGIN_SECONDS - now, bounds.maximum)
    if window is None:
        if estimate is None:
            return float(bounds.maximum)  # nothing to aim at: the bounds decide
        window = (estimate, estimate)  # passed, and no progress to say more
    soonest, latest = window
    if now < soonest + MARGIN_SECONDS:
        return _towards(soonest + MARGIN_SECONDS - now, bounds.maximum)
    if now < latest:
        return max(float(bounds.minimum), (latest - soonest) / POLLS_PER_WINDOW)
    return now - latest  # past the window: double the time overdue


def _known(estimate: float | None) -> float | None:
    """The request's estimate, if it says anything (a positive duration)."""
    return estimate if estimate is not None and estimate > 0 else None


def _aimed(estimate: float, window: tuple[float, float] | None, now: float) -> bool:
    """Whether a poll is aimed at the estimate: it is ahead and no later than progress allows
    (a sooner one is kept too: a poll checks it)."""
    return estimate + MARGIN_SECONDS > now and (window is None or estimate <= window[1])


def _towards(left: float, maximum: int) -> float:
    """`left` cut into equal waits of at most `maximum`: the next one."""
    return left / max(1, math.ceil(left / maximum))


def _progress_window(history: Sequence[ProgressPoint]) -> tuple[float, float] | None:
    """When progress places the end (soonest, latest), or None before any rise. A new high `f`
    first seen at `t`, after a poll at `t0` that saw less (0 for the first poll), means an end
    from `t0 / f` to `t / f` at a steady pace, widened by `PACE_SLACK` of the time left; the
    window is what every kept rise allows. A stall or a drop is no news (a count is never
    undone)."""
    soonest, latest = 0.0, math.inf
    high, previous = 0.0, 0.0
    for point in history:
        fraction = point.fraction
        if fraction is not None and fraction > high:
            high, seen = fraction, point.elapsed
            early = previous + (previous / fraction - previous) * (1 - PACE_SLACK)
            late = seen + (seen / fraction - seen) * (1 + PACE_SLACK)
            soonest, latest = max(soonest, early), min(latest, late)
        previous = point.elapsed
    if math.isinf(latest):
        return None
    return min(soonest, latest), latest
