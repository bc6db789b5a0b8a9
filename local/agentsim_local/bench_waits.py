"""`agentsim bench`'s poll schedule section: polls, state transitions and detection lag of a
30-minute run per provider, the schedule before issue 14 beside the progress-aware one.

Computed, not timed: each run is simulated by calling the pure wait functions with the progress
a provider's API reports along a recorded shape of run (OmniDimension: calls in waves of its
concurrency, then `Calculating Summary`; Bluejay: per-result statuses finishing one by one;
Synthflow: a suite's session counts), over `VARIANTS` runs of 27-33 minutes with jittered steps.
Transitions are counted along the state machine's own paths (`poll_path`, `callback_path`,
which tests check against statemachine/run_simulation.asl.json): a polled run waits in
`WaitForEnd` while its polls follow it outside the workflow (delayed messages to the Watch
function), 9 states whatever the number of polls; before, each poll entered 3 states of the
workflow's (`OLD_LOOP`) besides the 7 others. With Bluejay's webhooks the first poll sends the
run to the callback wait, woken `WEBHOOK_DELIVERY_SECONDS` after the end (the last result's
webhook), which goes on to Finish, or, past the safety net, polls and waits again. Lag is the
time from the provider's end to the poll (or the wake) that notices it, averaged over the runs.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from agentsim.runs.pacing import CALLBACK_SAFETY_SECONDS, Pacing
from agentsim.runs.schedule import Bounds, ProgressPoint, next_wait, remember

VARIANTS = 40
NOMINAL_SECONDS = 1800.0
WEBHOOK_DELIVERY_SECONDS = 1.0
GOAL_TRANSITIONS, GOAL_LAG = 25, 30.0
GOAL_CALLBACK_TRANSITIONS, GOAL_CALLBACK_LAG = 12, 5.0
OLD_BOUNDS = Bounds(15, 300)
"""The template's defaults before issue 14 (PollMaxSeconds was 300)."""

Curve = Callable[[float], float | None]
"""What the provider reports at a time since the launch: a fraction done, or None."""


@dataclass(frozen=True)
class Run:
    """One simulated run: it ends at `duration`; `curve` is the progress its API reports."""

    duration: float
    curve: Curve


def _steps(duration: float, count: int, tail: float, rng: random.Random) -> list[float]:
    """When each of `count` equal parts of a run ends (the last `tail` before the end)."""
    span = duration - tail
    return [*sorted(span * (k + rng.uniform(-0.15, 0.15)) / count for k in range(1, count)), span]


def omnidimension(duration: float, rng: random.Random) -> Run:
    """6 calls, 2 at a time: `total_simulation_finished_records / total_records` in 3 steps,
    then `Calculating Summary` (progress 100, not yet terminal) for the last 20 s."""
    waves = _steps(duration, 3, 20.0, rng)
    return Run(duration, lambda t: sum(t >= w for w in waves) / 3)


def bluejay(duration: float, rng: random.Random) -> Run:
    """5 digital humans: the share of `simulation_results` in a terminal status."""
    done = _steps(duration, 5, 0.0, rng)
    return Run(duration, lambda t: sum(t >= d for d in done) / 5)


def synthflow(duration: float, rng: random.Random) -> Run:
    """A suite of 10 cases: `(completed_simulations + failed_simulations) / total_simulations`."""
    done = _steps(duration, 10, 0.0, rng)
    return Run(duration, lambda t: sum(t >= d for d in done) / 10)


PROVIDERS: dict[str, Callable[[float, random.Random], Run]] = {
    "OmniDimension": omnidimension,
    "Bluejay": bluejay,
    "Synthflow suite": synthflow,
}
ESTIMATES: dict[str, float | None] = {"right": 1.0, "half": 0.5, "double": 2.0, "none": None}


def old_wait(polls: int, expected: float | None, bounds: Bounds) -> int:
    """`next_wait` before issue 14: growing by 1.5 from the minimum up to a tenth of the
    expected duration, within the bounds."""
    cap = float(bounds.maximum)
    if expected:
        cap = min(cap, max(float(bounds.minimum), expected * 0.1))
    wait = min(bounds.minimum * 1.5**polls, cap)
    return max(bounds.minimum, min(bounds.maximum, math.ceil(wait)))


HEAD = ("Register", "AnnounceStart", "Start")
TAIL = ("Finish", "PublishFinished", "DidComplete", "Completed")
OLD_LOOP = ("WaitForProvider", "Poll", "IsFinished")
"""Before: each poll was a Wait state, the Poll task and a Choice of the workflow's own."""


def poll_path(lost_chains: int = 0) -> list[str]:
    """The states a polled run enters: its polls follow it outside the workflow while it waits
    in WaitForEnd; each chain of them that was lost costs a poll of the workflow's and a new
    wait."""
    return [
        *HEAD,
        *("WaitForEnd", "Poll", "IsFinished") * lost_chains,
        "WaitForEnd",
        "IsFinished",
        *TAIL,
    ]


def callback_path(safety_polls: int) -> list[str]:
    """The states a run with webhooks enters: the first poll (outside the workflow) sends it to
    the callback wait, of which the first `safety_polls` time out (a poll each), the last woken
    straight into Finish."""
    safety = ("WaitForCallback", "Poll", "IsFinished") * safety_polls
    return [*HEAD, "WaitForEnd", "IsFinished", *safety, "WaitForCallback", *TAIL]


@dataclass(frozen=True)
class Outcome:
    polls: int
    lag: float
    schedule: str = "new"

    @property
    def transitions(self) -> int:
        if self.schedule == "webhooks":
            return len(callback_path(self.polls - 1))
        if self.schedule == "old":
            return len(HEAD) + len(OLD_LOOP) * self.polls + len(TAIL)
        return len(poll_path())


def follow(
    run: Run, waits: Callable[[int, list[ProgressPoint]], float], schedule: str = "new"
) -> Outcome:
    """Poll `run` on the schedule `waits(polls so far, history)` until a poll sees its end."""
    now, polls, history = 0.0, 0, list[ProgressPoint]()
    while True:
        now += waits(polls, history)
        polls += 1
        if now >= run.duration:
            return Outcome(polls, now - run.duration, schedule)
        history = remember(history, ProgressPoint(elapsed=now, fraction=run.curve(now)))


def schedules(estimate: float | None, pacing: Pacing) -> dict[str, Callable[[Run], Outcome]]:
    bounds = Bounds(pacing.min_seconds, pacing.max_seconds)

    def callback(run: Run) -> Outcome:
        woken = run.duration + WEBHOOK_DELIVERY_SECONDS
        first = float(bounds.minimum)
        safety = [first + CALLBACK_SAFETY_SECONDS * k for k in range(1, 1000)]
        polls = 1 + sum(1 for at in safety if at < woken)
        return Outcome(polls, WEBHOOK_DELIVERY_SECONDS, "webhooks")

    return {
        "old": lambda run: follow(run, lambda n, _: old_wait(n, estimate, OLD_BOUNDS), "old"),
        "new": lambda run: follow(run, lambda _, h: next_wait(h, estimate, bounds)),
        "webhooks": callback,
    }


@dataclass(frozen=True)
class Row:
    provider: str
    estimate: str
    schedule: str
    outcomes: Sequence[Outcome]

    def mean(self, measure: Callable[[Outcome], float]) -> float:
        return statistics.fmean(measure(o) for o in self.outcomes)

    @property
    def most_transitions(self) -> int:
        return max(o.transitions for o in self.outcomes)

    @property
    def goal_met(self) -> bool | None:
        transitions = self.most_transitions
        lag = self.mean(lambda o: o.lag)
        if self.schedule == "new":
            return transitions <= GOAL_TRANSITIONS and lag <= GOAL_LAG
        if self.schedule == "webhooks":
            return transitions <= GOAL_CALLBACK_TRANSITIONS and lag < GOAL_CALLBACK_LAG
        return None


def rows(pacing: Pacing, variants: int = VARIANTS) -> list[Row]:
    table: list[Row] = []
    for provider, shape in PROVIDERS.items():
        rng = random.Random(provider)  # noqa: S311 (a reproducible simulation, not a secret)
        runs = [shape(NOMINAL_SECONDS * rng.uniform(0.9, 1.1), rng) for _ in range(variants)]
        for label, share in ESTIMATES.items():
            for name in ("old", "new", "webhooks"):
                if name == "webhooks" and (provider != "Bluejay" or label != "right"):
                    continue  # the callback waits use no estimate
                outcomes = [
                    schedules(None if share is None else run.duration * share, pacing)[name](run)
                    for run in runs
                ]
                table.append(Row(provider, label, name, outcomes))
    return table


def table(pacing: Pacing) -> Table:
    out = Table(
        title=f"Poll schedule, 30-minute runs ({VARIANTS} each; new bounds "
        f"{pacing.min_seconds}..{pacing.max_seconds} s, old {OLD_BOUNDS.minimum}.."
        f"{OLD_BOUNDS.maximum} s)",
        title_justify="left",
    )
    for column in ("provider", "estimate", "schedule", "polls", "transitions", "lag s", "goal"):
        out.add_column(column, justify="left" if column in {"provider", "schedule"} else "right")
    for row in rows(pacing):
        met = row.goal_met
        out.add_row(
            row.provider,
            row.estimate if row.schedule != "webhooks" else "any",
            row.schedule,
            f"{row.mean(lambda o: o.polls):.1f}",
            f"{row.mean(lambda o: o.transitions):.1f} (max {row.most_transitions})",
            f"{row.mean(lambda o: o.lag):.1f}",
            "" if met is None else ("met" if met else "MISSED"),
        )
    return out


def print_section(console: Console, pacing: Pacing | None = None) -> None:
    console.print(table(pacing or Pacing()))
    console.print(
        f"Goals: new schedule <= {GOAL_TRANSITIONS} transitions (max over runs) and <= "
        f"{GOAL_LAG:.0f} s mean lag; with Bluejay webhooks <= {GOAL_CALLBACK_TRANSITIONS} "
        f"transitions and < {GOAL_CALLBACK_LAG:.0f} s lag."
    )
