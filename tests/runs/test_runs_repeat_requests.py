"""`repeat` in the request envelope: what it accepts, and each provider's limits, refused with
the field named before anything runs."""

from __future__ import annotations

from typing import Any

import pytest
from support.run_requests import (
    bluejay_request,
    omnidimension_request,
    synthflow_request,
    synthflow_suite_request,
)

from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RequestInvalid


def refused(request: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(RequestInvalid) as error:
        parse_request(request)
    return [(p.path, p.problem) for p in error.value.problems]


def paths(request: dict[str, Any]) -> list[str]:
    return [path for path, _ in refused(request)]


def test_min_passes_defaults_to_every_attempt() -> None:
    request = parse_request(bluejay_request(repeat={"times": 3}))

    assert request.repeat is not None
    assert (request.repeat.times, request.repeat.passes_needed, request.attempts) == (3, 3, 3)


def test_a_request_without_repeat_attempts_each_case_once() -> None:
    assert parse_request(bluejay_request()).attempts == 1


def test_min_passes_above_times_is_refused_naming_it() -> None:
    ((path, problem),) = refused(bluejay_request(repeat={"times": 2, "min_passes": 3}))

    assert path == "repeat.min_passes"
    assert "at most times (2)" in problem


@pytest.mark.parametrize("times", [0, 11, "3", 2.5])
def test_times_outside_one_to_ten_or_not_an_integer_is_refused_naming_it(times: Any) -> None:
    assert paths(bluejay_request(repeat={"times": times})) == ["repeat.times"]


def test_min_passes_below_one_is_refused_naming_it() -> None:
    assert paths(bluejay_request(repeat={"times": 2, "min_passes": 0})) == ["repeat.min_passes"]


def test_times_is_required_and_unknown_fields_are_refused() -> None:
    assert sorted(paths(bluejay_request(repeat={"min_passes": 1, "count": 2}))) == [
        "repeat.count",
        "repeat.times",
    ]


def test_omnidimension_refuses_more_calls_per_scenario_than_it_makes() -> None:
    ((path, problem),) = refused(omnidimension_request(repeat={"times": 4}))

    assert path == "repeat.times"
    assert "at most 3 calls per scenario" in problem


def test_omnidimension_refuses_a_repeat_that_contradicts_number_of_call_to_make() -> None:
    ((path, problem),) = refused(omnidimension_request(repeat={"times": 2}))

    assert path == "repeat"
    assert "simulation.number_of_call_to_make 1" in problem


def test_omnidimension_takes_a_repeat_that_agrees_with_number_of_call_to_make() -> None:
    request = omnidimension_request(repeat={"times": 1})

    assert parse_request(request).attempts == 1


def test_bluejay_refuses_a_repeat_that_contradicts_runs_per_digital_human() -> None:
    request = bluejay_request(repeat={"times": 2}, run={"runs_per_digital_human": 3})

    ((path, problem),) = refused(request)

    assert path == "repeat"
    assert "run.runs_per_digital_human 3" in problem


def test_synthflow_refuses_to_repeat_a_suite() -> None:
    ((path, problem),) = refused(synthflow_suite_request(repeat={"times": 2}))

    assert path == "repeat"
    assert "a single case" in problem


def test_synthflow_refuses_a_repeated_case_in_the_callers_own_session() -> None:
    request = synthflow_request(repeat={"times": 2})
    request["simulation"]["simulation_session_id"] = "6f1c0d7e-1111-4a4a-8b8b-0c0c0c0c0c01"

    assert paths(request) == ["repeat"]


def test_synthflow_repeats_a_single_case() -> None:
    assert parse_request(synthflow_request(repeat={"times": 5, "min_passes": 4})).attempts == 5
