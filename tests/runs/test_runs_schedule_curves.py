"""The schedule on recorded progress curves of each provider: what the API answered at each
poll (OmniDimension `progress` / finished records, Bluejay per-result statuses, Synthflow
session counts), including stalled, jumping and non-monotonic progress."""

from __future__ import annotations

from agentsim.providers.base import SimulationStatus
from agentsim.providers.bluejay.mapping import poll_status as bluejay_poll
from agentsim.providers.bluejay.responses import RunResults
from agentsim.providers.omnidimension.mapping import poll_status as omnidim_poll
from agentsim.providers.omnidimension.responses import Simulation
from agentsim.providers.synthflow.mapping import poll_session, poll_simulation
from agentsim.providers.synthflow.responses import SimulationReadOut, SimulationSessionReadOut
from agentsim.runs.schedule import MARGIN_SECONDS, Bounds, ProgressPoint, next_wait, remember

BOUNDS = Bounds(15, 600)


def follow(curve: list[tuple[float, float | None]], estimate: float | None) -> list[int]:
    """The waits chosen after each recorded poll of `curve`."""
    history: list[ProgressPoint] = []
    waits = []
    for elapsed, fraction in curve:
        history = remember(history, ProgressPoint(elapsed=elapsed, fraction=fraction))
        waits.append(next_wait(history, estimate, BOUNDS))
    return waits


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


def test_omnidimension_steady_progress_aims_the_poll_just_after_its_end() -> None:
    # 6 calls, 2 at a time: a third done at 600 s and two thirds at 1200 s -> ends at 1800 s.
    curve = [(15, omnidimension([0])), (600, omnidimension([33])), (1200, omnidimension([66]))]

    middle = 1200 + follow(curve, estimate=None)[-1]
    last = middle + follow([*curve, (middle, omnidimension([66]))], estimate=None)[-1]

    assert 1300 < middle < 1800  # the middle of what 66% between 600 s and 1200 s allows
    assert 1800 <= last <= 1200 / 0.66 + MARGIN_SECONDS + 1


def test_bluejay_results_arriving_one_by_one_bracket_the_end_then_land_just_after_it() -> None:
    # 5 conversations, one every 360 s, polled 5 s after each: the run ends at 1800 s.
    statuses = [["COMPLETED"] * n + ["RUNNING"] * (5 - n) for n in range(5)]
    curve = [(360.0 * n + 5, bluejay(s)) for n, s in enumerate(statuses)]

    middle = follow(curve, estimate=3600)[-1]  # the request's estimate was double
    then = curve[-1][0] + middle
    last = follow([*curve, (then, bluejay(statuses[-1]))], estimate=3600)[-1]

    assert then < 1800  # the middle of what 4 of 5 at 1445 s (after 3 at 1085 s) allows
    assert 1800 <= then + last <= 1800 + 5 / 0.8 + MARGIN_SECONDS + 1


def test_synthflow_progress_beats_a_wrong_estimate() -> None:
    curve = [(600, synthflow(3, 0, 10)), (1200, synthflow(5, 1, 10))]

    waits = follow(curve, estimate=900)  # half the real length: already passed

    assert 1200 + waits[-1] >= 1500  # progress points to 1500-2000 s; 900 s has passed


def test_stalled_progress_backs_off_by_doubling_the_time_overdue() -> None:
    # Two thirds at 1200 s pointed to 1800 s; still two thirds long after.
    curve = [(1200, 2 / 3), (1805, 2 / 3), (1820, 2 / 3), (1840, 2 / 3), (1880, 2 / 3)]

    waits = follow(curve, estimate=None)

    assert waits[1:] == [15, 20, 40, 80]


def test_a_jump_in_progress_brings_the_expected_end_forward() -> None:
    slow = follow([(600, 0.1)], estimate=None)[-1]
    jumped = follow([(600, 0.1), (1200, 0.9)], estimate=None)[-1]

    assert slow > 400  # 3000-6000 s away: equal waits of at most the maximum
    assert jumped < 150  # 90% at 1200 s: about 1333 s


def test_progress_going_back_is_ignored() -> None:
    # A provider's count read from a lagging replica: 60% then 40%.
    steady = follow([(600, 0.3), (1200, 0.6)], estimate=None)[-1]
    wobbly = follow([(600, 0.3), (1200, 0.6), (1210, 0.4)], estimate=None)[-1]

    assert wobbly == steady - 10


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
