"""Statuses only move forward; terminal statuses never move."""

from __future__ import annotations

import pytest

from agentsim.runs.record import TERMINAL, RunStatus, can_move, sources_of

TERMINALS = sorted(TERMINAL)


def test_pending_may_start_running() -> None:
    assert can_move(RunStatus.PENDING, RunStatus.RUNNING)


@pytest.mark.parametrize("end", TERMINALS)
def test_pending_and_running_may_end_in_any_terminal_status(end: RunStatus) -> None:
    assert can_move(RunStatus.PENDING, end)
    assert can_move(RunStatus.RUNNING, end)


def test_running_never_goes_back_to_pending() -> None:
    assert not can_move(RunStatus.RUNNING, RunStatus.PENDING)


@pytest.mark.parametrize("end", TERMINALS)
@pytest.mark.parametrize("target", list(RunStatus))
def test_terminal_status_never_moves(end: RunStatus, target: RunStatus) -> None:
    assert not can_move(end, target)


def test_writes_to_a_terminal_status_are_allowed_only_from_active_statuses() -> None:
    assert sources_of(RunStatus.COMPLETED) == {RunStatus.PENDING, RunStatus.RUNNING}
    assert sources_of(RunStatus.RUNNING) == {RunStatus.PENDING}
    assert sources_of(RunStatus.PENDING) == set()


def test_terminal_statuses_are_exactly_the_four_ends() -> None:
    assert set(TERMINAL) == {
        RunStatus.COMPLETED,
        RunStatus.FAILED,
        RunStatus.STOPPED,
        RunStatus.TIMED_OUT,
    }
