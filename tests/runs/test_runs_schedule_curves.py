"""The schedule on recorded progress curves of each provider: what the API answered at each
poll (OmniDimension `progress` / finished records, Bluejay per-result statuses, Synthflow
session counts), including stalled, jumping and non-monotonic progress."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pytest

from agentsim.providers.base import SimulationStatus
from agentsim.providers.bluejay.mapping import poll_status as bluejay_poll
from agentsim.providers.bluejay.responses import RunResults
from agentsim.providers.omnidimension.mapping import poll_status as omnidim_poll
from agentsim.providers.omnidimension.responses import Simulation
from agentsim.providers.synthflow.mapping import poll_session, poll_simulation
from agentsim.providers.synthflow.responses import SimulationReadOut, SimulationSessionReadOut
from agentsim.runs.schedule import (
    MARGIN_SECONDS,
    POLLS_PER_WINDOW,
    Bounds,
    ProgressPoint,
    next_wait,
    remember,
)

BOUNDS = Bounds(15, 600)


def follow(curve: Sequence[tuple[float, float | None]], estimate: float | None) -> list[int]:
    """The waits chosen after each recorded poll of `curve`."""
    history: list[ProgressPoint] = []
    waits = []
    for elapsed, fraction in curve:
        history = remember(history, ProgressPoint(elapsed=elapsed, fraction=fraction))
        waits.append(next_wait(history, estimate, BOUNDS))
    return waits


def run_to_end(
    end: float, progress: Callable[[float], float], estimate: float | None
) -> tuple[int, float]:
    """Polls a run ending at `end` (reporting `progress(t)` before it) gets, and how long after
    its end the poll that saw it came."""
    history: list[ProgressPoint] = []
    now, polls = 0.0, 0
    while True:
        now += next_wait(history, estimate, BOUNDS)
        polls += 1
        if now >= end:
            return polls, now - end
        history = remember(history, ProgressPoint(elapsed=now, fraction=progress(now)))


def five_results(t: float) -> float:
    """Bluejay's share of 5 results in, one every 360 s: the run ends at 1800 s."""
    return min(5, int(t // 360)) / 5


def omnidimension(progress: list[int] | None, finished: int = 0, total: int = 0) -> float | None:
    simulation = Simulation.model_validate(
        {
            "id": 42,
            "status": "In Progress",
            "progress": progress,
            "total_simulation_finished_records": finished,
            "total_records": total,
        }
    )
    return omnidim_poll(simulation).fraction


def bluejay(statuses: list[str]) -> float | None:
    results = RunResults.model_validate(
        {
            "simulation_run": {"id": 7, "status": "RUNNING"},
            "simulation_results": [{"id": i, "status": s} for i, s in enumerate(statuses)],
        }
    )
    return bluejay_poll(results).fraction


def synthflow(completed: int, failed: int, total: int) -> float | None:
    session = SimulationSessionReadOut.model_validate(
        {
            "simulation_session_id": "s",
            "simulations": [],
            "total_simulations": total,
            "completed_simulations": completed,
            "failed_simulations": failed,
            "pending_simulations": total - completed - failed,
        }
    )
    return poll_session(session).fraction


def test_omnidimension_reports_its_progress_array_as_a_fraction() -> None:
    assert omnidimension([40]) == 0.4
    assert omnidimension(None, finished=2, total=6) == 2 / 6
    assert omnidimension(None) is None


def test_bluejay_reports_the_share_of_results_in_a_terminal_status() -> None:
    assert bluejay(["COMPLETED", "RUNNING", "EVALUATING", "COMPLETED"]) == 0.5


def test_synthflow_reports_ended_simulations_of_the_session() -> None:
    assert synthflow(3, 1, 10) == 0.4


def test_a_single_synthflow_simulation_measures_nothing_while_it_runs() -> None:
    running = SimulationReadOut.model_validate({"simulation_id": "x", "status": "in-progress"})
    result = poll_simulation(running)

    assert (result.status, result.fraction) == (SimulationStatus.RUNNING, None)


def test_steady_progress_is_polled_across_its_window_every_sixteenth_of_its_width() -> None:
    # 6 calls, 2 at a time: a third done at 600 s, two thirds at 1200 s. At a steady pace the
    # end is 900..1800 s; the 600 s left may go 25% faster or slower: 825..1950 s.
    curve = [(15, omnidimension([0]))]
    curve += [(600, omnidimension(None, 2, 6)), (1200, omnidimension(None, 4, 6))]

    assert follow(curve, estimate=None)[-1] == math.ceil((1950 - 825) / POLLS_PER_WINDOW)


def test_a_window_still_ahead_is_approached_in_equal_waits() -> None:
    # 40% at 800 s after 20% at 700 s: no end before 700 + 1050 * 0.75 = 1487.5 s.
    assert follow([(700, 0.2), (800, 0.4)], estimate=None)[-1] == math.ceil((1492.5 - 800) / 2)


def test_a_right_estimate_is_aimed_at_rather_than_polling_the_window() -> None:
    # 80% at 1500 s after 60% at 1200 s: the end lies in 1425..1969 s, and 1800 s agrees.
    curve = [(1200, 0.6), (1500, 0.8)]

    assert follow(curve, estimate=1800)[-1] == 300 + MARGIN_SECONDS


def test_bluejay_results_one_by_one_rule_out_a_double_estimate() -> None:
    # 5 conversations, one every 360 s, polled 5 s after each: 4 of 5 at 1445 s (3 at 1085 s)
    # put the end within 1289..1897 s, so 3600 s is not aimed at; the window is polled.
    statuses = [["COMPLETED"] * n + ["RUNNING"] * (5 - n) for n in range(5)]
    curve = [(360.0 * n + 5, bluejay(s)) for n, s in enumerate(statuses)]

    wait = follow(curve, estimate=3600)[-1]

    assert wait == math.ceil((1445 + 361.25 * 1.25 - (1085 + 271.25 * 0.75)) / POLLS_PER_WINDOW)


def test_a_passed_estimate_gives_way_to_the_window_progress_allows() -> None:
    # 60% at 1200 s after 30% at 600 s: the end lies in 900..2200 s; 900 s (half) has passed.
    curve = [(600, synthflow(3, 0, 10)), (1200, synthflow(5, 1, 10))]

    assert follow(curve, estimate=900)[-1] == math.ceil((2200 - 900) / POLLS_PER_WINDOW)


@pytest.mark.parametrize("estimate", [900.0, 1800.0, 3600.0, None])
def test_whatever_the_estimate_a_steady_run_is_noticed_within_30_s_and_30_polls(
    estimate: float | None,
) -> None:
    polls, lag = run_to_end(1800, five_results, estimate)

    assert polls <= 30
    assert lag <= 30


def test_a_right_estimate_costs_a_handful_of_polls_and_only_the_margin() -> None:
    polls, lag = run_to_end(1800, five_results, 1800)

    assert polls <= 10
    assert lag == MARGIN_SECONDS


def test_stalled_progress_inside_its_window_costs_at_most_the_window_polls() -> None:
    # Two thirds at 1200 s after half at 1000 s: the end lies in 1375..1950 s; still two thirds.
    curve: list[tuple[float, float | None]] = [(1000, 0.5), (1200, 2 / 3)]
    while curve[-1][0] < 1950:
        curve.append((curve[-1][0] + follow(curve, estimate=None)[-1], 2 / 3))

    inside = [t for t, _ in curve if 1375 <= t < 1950]
    assert len(inside) <= POLLS_PER_WINDOW + 1


def test_stalled_progress_past_its_window_backs_off_by_doubling_the_time_overdue() -> None:
    # Two thirds at 1200 s after half at 1000 s: at most 1950 s; still two thirds long after.
    curve = [(1000, 0.5), (1200, 2 / 3), (1955, 2 / 3), (1970, 2 / 3), (1990, 2 / 3)]
    curve += [(2030, 2 / 3), (2110, 2 / 3)]

    waits = follow(curve, estimate=None)

    assert waits[2:] == [15, 20, 40, 80, 160]


def test_a_run_stalled_for_hours_ends_up_polled_at_the_maximum() -> None:
    curve: list[tuple[float, float | None]] = [(1000, 0.5), (1200, 2 / 3)]
    while curve[-1][0] < 6 * 3600:
        curve.append((curve[-1][0] + follow(curve, estimate=1800)[-1], 2 / 3))

    waits = follow(curve, estimate=1800)

    assert waits[-1] == BOUNDS.maximum
    assert len(curve) < 6 * 3600 / BOUNDS.maximum + POLLS_PER_WINDOW + 10


def test_a_jump_in_progress_brings_the_expected_end_forward() -> None:
    slow = follow([(600, 0.1)], estimate=None)[-1]
    jumped = follow([(600, 0.1), (1200, 0.9)], estimate=None)[-1]

    assert slow > 400  # 10% at 600 s: anywhere up to 7350 s, a wide window
    assert jumped < 150  # 90% at 1200 s after 10% at 600 s: within 1150..1367 s


def test_progress_going_back_is_ignored() -> None:
    # A provider's count read from a lagging replica: 60% then 40%.
    stalled = follow([(600, 0.3), (1200, 0.6), (1210, 0.6)], estimate=None)[-1]
    wobbly = follow([(600, 0.3), (1200, 0.6), (1210, 0.4)], estimate=None)[-1]

    assert wobbly == stalled


def test_progress_at_one_that_is_not_yet_terminal_is_polled_at_the_minimum() -> None:
    # OmniDimension's `Calculating Summary`: every call done, the summary not yet.
    assert follow([(1790, 1.0)], estimate=1800)[-1] == 15


def test_an_early_end_is_noticed_within_the_maximum_wait() -> None:
    for estimate in (None, 60.0, 3600.0, 36_000.0):
        for curve in ([(15, 0.0)], [(600, 0.01)], [(1000, None)]):
            assert follow(curve, estimate)[-1] <= BOUNDS.maximum


def test_a_right_estimate_is_kept_when_jittered_progress_points_a_little_sooner() -> None:
    # Bluejay, 5 results: the 4th came a little early, so 4/5 at 1400 s allows at most 1750 s.
    curve = [(1010, bluejay(["COMPLETED"] * 3 + ["RUNNING"] * 2))]
    curve.append((1400, bluejay(["COMPLETED"] * 4 + ["RUNNING"])))

    assert curve[-1][0] + follow(curve, estimate=1800)[-1] == 1800 + MARGIN_SECONDS


def test_an_estimate_progress_rules_out_is_dropped_for_the_progress_end() -> None:
    # 4 of 5 results at 1330 s (3 of 5 at 1010 s): the end is near 1330 / 0.8 = 1663 s, not 3600.
    curve = [(1010, bluejay(["COMPLETED"] * 3 + ["RUNNING"] * 2))]
    curve.append((1330, bluejay(["COMPLETED"] * 4 + ["RUNNING"])))

    assert 1330 + follow(curve, estimate=3600)[-1] <= 1330 / 0.8 + MARGIN_SECONDS + 1


def test_no_wait_passes_a_deadline_on_any_curve() -> None:
    for curve in ([(15, 0.0)], [(600, 0.3), (1200, 0.6)], [(1700, 2 / 3), (1790, 2 / 3)]):
        for estimate in (None, 900.0, 1800.0, 3600.0):
            now = curve[-1][0]
            history = [ProgressPoint(elapsed=t, fraction=f) for t, f in curve]
            assert now + next_wait(history, estimate, BOUNDS, deadline=now + 100) <= now + 101
