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


@pytest.mark.parametrize(
    ("request_body", "path", "problem"),
    [
        (
            bluejay_request(repeat={"times": 2, "min_passes": 3}),
            "repeat.min_passes",
            "at most times (2)",
        ),
        (
            omnidimension_request(repeat={"times": 4}),
            "repeat.times",
            "at most 3 calls per scenario",
        ),
        (
            omnidimension_request(repeat={"times": 2}),
            "repeat",
            "simulation.number_of_call_to_make 1",
        ),
        (
            bluejay_request(repeat={"times": 2}, run={"runs_per_digital_human": 3}),
            "repeat",
            "run.runs_per_digital_human 3",
        ),
        (synthflow_suite_request(repeat={"times": 2}), "repeat", "a single case"),
    ],
    ids=[
        "min-passes-above-times",
        "omnidimension-more-calls-per-scenario-than-it-makes",
        "omnidimension-contradicting-number-of-call-to-make",
        "bluejay-contradicting-runs-per-digital-human",
        "synthflow-repeating-a-suite",
    ],
)
def test_a_repeat_the_provider_cannot_make_is_refused_naming_the_field(
    request_body: dict[str, Any], path: str, problem: str
) -> None:
    ((refused_path, refused_problem),) = refused(request_body)

    assert refused_path == path
    assert problem in refused_problem


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


def test_omnidimension_takes_a_repeat_that_agrees_with_number_of_call_to_make() -> None:
    request = omnidimension_request(repeat={"times": 1})

    assert parse_request(request).attempts == 1


def test_synthflow_refuses_a_repeated_case_in_the_callers_own_session() -> None:
    request = synthflow_request(repeat={"times": 2})
    request["simulation"]["simulation_session_id"] = "6f1c0d7e-1111-4a4a-8b8b-0c0c0c0c0c01"

    assert paths(request) == ["repeat"]


def test_synthflow_repeats_a_single_case() -> None:
    assert parse_request(synthflow_request(repeat={"times": 5, "min_passes": 4})).attempts == 5
