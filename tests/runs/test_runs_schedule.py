"""The poll schedule (`schedule.next_wait`): a pure function of the progress the polls saw, the
request's estimate, the bounds and the deadline. Times are seconds since the launch."""

from __future__ import annotations

import pytest

from agentsim.runs.schedule import (
    MARGIN_SECONDS,
    Bounds,
    ProgressPoint,
    expected_end,
    next_wait,
    remember,
)

BOUNDS = Bounds(15, 600)


def points(*seen: tuple[float, float | None]) -> list[ProgressPoint]:
    history: list[ProgressPoint] = []
    for elapsed, fraction in seen:
        history = remember(history, ProgressPoint(elapsed=elapsed, fraction=fraction))
    return history


def test_the_first_poll_comes_after_the_minimum_to_catch_a_run_that_fails_at_once() -> None:
    assert next_wait([], 1800, BOUNDS) == 15


def test_a_right_estimate_lands_the_poll_just_after_the_expected_end() -> None:
    # 1800 s expected, at 1500 s: one wait of 300 s plus the margin.
    assert next_wait(points((1500, None)), 1800, BOUNDS) == 300 + MARGIN_SECONDS


def test_a_far_end_is_approached_in_equal_waits_no_longer_than_the_maximum() -> None:
    # 3000 s + margin left at 600 s: six waits of 501 s, each poll refining the end.
    assert next_wait(points((600, 0.0)), 3600, BOUNDS) == 501


def test_no_wait_is_longer_than_the_time_since_the_launch() -> None:
    # Aiming at 1800 s, the first waits double from the minimum: an early end is seen early.
    waits = [next_wait(points((elapsed, 0.0)), 1800, BOUNDS) for elapsed in (15, 30, 60, 120)]

    assert waits == [15, 30, 60, 120]


def test_without_estimate_or_progress_the_bounds_decide() -> None:
    assert next_wait(points((1000, None)), None, BOUNDS) == 600


def test_the_expected_end_is_the_estimate_progress_allows_else_the_middle_of_its_window() -> None:
    # 60% at 1200 s, 80% at 1500 s: progress places the end within 1425..1969 s.
    history = points((1200, 0.6), (1500, 0.8))

    assert expected_end(history, 1800) == 1800
    assert expected_end(history, 3600) == (1425 + 1968.75) / 2


def test_every_wait_is_within_the_bounds() -> None:
    tight = Bounds(2, 9)
    for history in ([], points((5, 0.1)), points((5, 0.9), (900, 0.9)), points((100, None))):
        assert 2 <= next_wait(history, 123.0, tight) <= 9


def test_a_wait_stops_just_after_a_near_deadline() -> None:
    assert next_wait(points((1000, 0.1)), None, BOUNDS, deadline=1040) == 41


def test_inverted_bounds_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="minimum"):
        Bounds(30, 10)


def test_the_history_keeps_each_rise_with_the_poll_before_it_and_the_latest() -> None:
    history = points(*[(60.0 * n, min(1.0, n // 3 / 20)) for n in range(1, 40)])

    assert len(history) <= 5
    assert history[-1].elapsed == 60.0 * 39
    rises = [p.fraction for p in history[:-1]]
    assert rises == sorted(rises)
