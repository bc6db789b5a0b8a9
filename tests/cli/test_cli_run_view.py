"""What the CLI reads out of a run record."""

from __future__ import annotations

from decimal import Decimal

from agentsim_local.run_view import RunView


def test_duration_comes_from_the_record_timestamps() -> None:
    record = {
        "run_id": "r",
        "status": "COMPLETED",
        "created_at": "2026-01-01T10:00:00+00:00",
        "finished_at": "2026-01-01T10:00:09.500000+00:00",
    }

    assert RunView.of(record).duration_seconds == 9.5


def test_dynamodb_decimals_read_as_numbers() -> None:
    view = RunView.of({"run_id": "r", "status": "RUNNING", "progress": Decimal(40)})

    assert view.progress == 40
    assert not view.finished


def test_score_is_passed_over_failed_or_a_dash() -> None:
    assert RunView.of({"passed": 3, "failed": 0}).score == "3/0"
    assert RunView.of({}).score == "-"


def test_terminal_statuses_are_finished() -> None:
    for status in ("COMPLETED", "FAILED", "STOPPED", "TIMED_OUT"):
        assert RunView.of({"status": status}).finished
