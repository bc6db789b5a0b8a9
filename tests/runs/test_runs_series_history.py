"""A series' history (`series_history`, behind `GET /series`): its runs newest first, a page at
a time, and each case's current flake rate over the series' last ten completed runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from support.run_requests import bluejay_request

from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import InvalidPageToken
from agentsim.runs.outcomes import CaseOutcomes
from agentsim.runs.record import Change, Origin, RunRecord, RunStatus, Verdict
from agentsim.runs.series_history import series_history
from agentsim.runs.services import Services

SERIES = "nightly/support line"
START = datetime(2026, 11, 1, tzinfo=UTC)


def finished(
    services: Services,
    number: int,
    *,
    series: str = SERIES,
    status: RunStatus = RunStatus.COMPLETED,
    **cases: bool | list[bool],
) -> str:
    """Run `number` of the series, created `number` minutes after START, with these cases."""
    run_id = f"{series}-{number:02d}".replace("/", "-").replace(" ", "-")
    request = parse_request(bluejay_request(series=series))
    services.runs.create(
        RunRecord.new(run_id, Origin.SCHEDULE, START + timedelta(minutes=number), request=request)
    )
    attempts: list[tuple[str, bool | None]] = [
        (key, one)
        for key, result in cases.items()
        for one in (result if isinstance(result, list) else [result])
    ]
    outcomes = CaseOutcomes.of(attempts)
    verdict = Verdict.PASSED if all(outcomes.results().values()) else Verdict.FAILED
    if status is not RunStatus.RUNNING:
        change = Change.move(status, outcomes=outcomes, verdict=verdict.value)
    else:
        change = Change.move(status)
    services.runs.change(run_id, change)
    return run_id


def test_runs_come_newest_first_with_status_verdict_and_pass_rate(services: Services) -> None:
    older = finished(services, 1, a=True, b=True)
    newer = finished(services, 2, a=True, b=False)

    history = series_history(services, SERIES)

    assert [(r.run_id, r.status, r.verdict, r.pass_rate) for r in history.runs] == [
        (newer, RunStatus.COMPLETED, Verdict.FAILED, 0.5),
        (older, RunStatus.COMPLETED, Verdict.PASSED, 1.0),
    ]
    assert history.next_token is None


def test_only_the_named_series_runs_are_listed(services: Services) -> None:
    mine = finished(services, 1, a=True)
    finished(services, 2, series="bluejay/12/other", a=True)

    assert [r.run_id for r in series_history(services, SERIES).runs] == [mine]


def test_the_history_comes_a_page_at_a_time(services: Services) -> None:
    ids = [finished(services, n, a=True) for n in range(1, 4)]

    first = series_history(services, SERIES, limit=2)
    rest = series_history(services, SERIES, limit=2, next_token=first.next_token)

    assert [r.run_id for r in first.runs] == ids[:0:-1]
    assert ([r.run_id for r in rest.runs], rest.next_token) == ([ids[0]], None)


def test_a_page_token_of_another_series_is_refused(services: Services) -> None:
    finished(services, 1, a=True)
    finished(services, 2, a=True)
    finished(services, 3, series="other", a=True)
    finished(services, 4, series="other", a=True)
    token = series_history(services, "other", limit=1).next_token

    with pytest.raises(InvalidPageToken):
        series_history(services, SERIES, limit=1, next_token=token)


def test_each_case_has_its_flake_rate_over_the_last_ten_completed_runs(
    services: Services,
) -> None:
    finished(services, 1, a=False, b=True)  # outside the window once ten more are in it
    for n in range(2, 12):
        finished(services, n, a=True, b=n != 11)

    history = series_history(services, SERIES, limit=3)

    assert {c.case_key: c.flake_rate for c in history.cases} == {"a": 0.0, "b": 0.1}


def test_a_repeated_case_flakes_within_one_run(services: Services) -> None:
    finished(services, 1, a=[True, True, False, True])

    (case,) = series_history(services, SERIES).cases

    assert (case.case_key, case.flake_rate) == ("a", 0.25)


def test_unfinished_runs_are_listed_but_do_not_count_in_flake_rates(services: Services) -> None:
    finished(services, 1, a=True)
    running = finished(services, 2, status=RunStatus.RUNNING)

    history = series_history(services, SERIES)

    assert [r.status for r in history.runs] == [RunStatus.RUNNING, RunStatus.COMPLETED]
    assert history.runs[0].run_id == running
    assert [(c.case_key, c.flake_rate) for c in history.cases] == [("a", 0.0)]


def test_a_later_page_carries_the_series_current_flake_rates(services: Services) -> None:
    finished(services, 1, a=False)
    finished(services, 2, a=True)
    finished(services, 3, a=True)
    first = series_history(services, SERIES, limit=1)

    later = series_history(services, SERIES, limit=1, next_token=first.next_token)

    assert later.cases == first.cases
    assert [(c.case_key, c.flake_rate) for c in later.cases] == [("a", 0.3333)]
