"""The suite request: its defaults given to each run, and every bad field named by its path."""

from __future__ import annotations

from typing import Any

import pytest
from support.run_requests import bluejay_request, omnidimension_request, synthflow_request
from support.suite_requests import suite_request, ungated_bluejay

from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RequestInvalid
from agentsim.suites.request import SuiteRequest, parse_suite

GATE = {"min_pass_rate": 0.9}


def problem_paths(data: Any) -> list[str]:
    with pytest.raises(RequestInvalid) as refused:
        parse_suite(data)
    return [p.path for p in refused.value.problems]


def test_suite_gate_is_given_to_a_bluejay_run_without_one() -> None:
    request = parse_suite(suite_request(ungated_bluejay(), gate=GATE))

    gate = request.runs[0].gate
    assert gate is not None and gate.min_pass_rate == 0.9


def test_suite_gate_is_given_to_a_synthflow_run_without_one() -> None:
    request = parse_suite(suite_request(synthflow_request(), gate=GATE))

    gate = request.runs[0].gate
    assert gate is not None and gate.min_pass_rate == 0.9


def test_a_runs_own_gate_beats_the_suites() -> None:
    request = parse_suite(suite_request(bluejay_request(gate={"min_pass_rate": 0.6}), gate=GATE))

    gate = request.runs[0].gate
    assert gate is not None and gate.min_pass_rate == 0.6


def test_suite_gate_is_never_given_to_an_omnidimension_run() -> None:
    request = parse_suite(suite_request(omnidimension_request(), gate=GATE))

    assert request.runs[0].gate is None


def test_suite_labels_are_merged_under_the_runs_own() -> None:
    run = bluejay_request(labels={"team": "voice", "night": "mon"})
    request = parse_suite(suite_request(run, labels={"team": "suite", "env": "prod"}))

    assert request.runs[0].labels == {"team": "voice", "night": "mon", "env": "prod"}


def test_a_run_without_labels_gets_the_suites() -> None:
    request = parse_suite(suite_request(synthflow_request(), labels={"env": "prod"}))

    assert request.runs[0].labels == {"env": "prod"}


def test_default_series_is_the_suite_name_then_the_runs_default() -> None:
    request = parse_suite(suite_request(ungated_bluejay(), name="nightly"))

    assert request.runs[0].series == "nightly/bluejay/12/Support line regression"


def test_a_second_run_with_the_same_default_series_is_numbered() -> None:
    request = parse_suite(suite_request(ungated_bluejay(), ungated_bluejay(), ungated_bluejay()))

    assert [run.series for run in request.runs] == [
        "nightly/bluejay/12/Support line regression",
        "nightly/bluejay/12/Support line regression#2",
        "nightly/bluejay/12/Support line regression#3",
    ]


def test_a_runs_own_series_is_kept() -> None:
    request = parse_suite(suite_request(synthflow_request(series="checkout flow")))

    assert request.runs[0].series == "checkout flow"


def test_numbered_series_stay_distinct_when_the_default_is_cut_to_length() -> None:
    long_name = "n" * 100
    run = ungated_bluejay(simulation={"agent_id": "12", "name": "x" * 150})
    request = parse_suite(suite_request(run, run, name=long_name))

    first, second = (r.series or "" for r in request.runs)
    assert first != second
    assert len(first) <= 200 and len(second) <= 200
    assert second.endswith("#2")


def test_a_suite_of_no_runs_is_refused_naming_suite_runs() -> None:
    assert problem_paths({"suite": {"name": "nightly", "runs": []}}) == ["suite.runs"]


def test_a_suite_of_501_runs_is_refused_naming_suite_runs() -> None:
    assert problem_paths(suite_request(*[synthflow_request()] * 501)) == ["suite.runs"]


def test_a_suite_of_500_runs_is_accepted() -> None:
    assert len(parse_suite(suite_request(*[synthflow_request()] * 500)).runs) == 500


def test_a_bad_child_field_is_named_by_its_path_in_the_suite() -> None:
    bad = ungated_bluejay(simulation={"agent_id": 12, "name": "x"})
    data = suite_request(ungated_bluejay(), synthflow_request(), omnidimension_request(), bad)

    assert problem_paths(data) == ["suite.runs.3.simulation.agent_id"]


def test_an_unknown_provider_in_a_child_is_named_suite_runs_n_provider() -> None:
    data = suite_request(synthflow_request(), {"provider": "vapi", "simulation": {}})

    assert problem_paths(data) == ["suite.runs.1.provider"]


def test_a_child_without_a_provider_is_named_suite_runs_n_provider() -> None:
    assert problem_paths(suite_request(synthflow_request(), {"simulation": {}})) == [
        "suite.runs.1.provider"
    ]


@pytest.mark.parametrize("value", [0, 41])
def test_concurrency_out_of_range_is_named_by_its_provider(value: int) -> None:
    data = suite_request(synthflow_request(), concurrency={"bluejay": value})

    assert problem_paths(data) == ["concurrency.bluejay"]


def test_a_blank_suite_name_is_named_suite_name() -> None:
    assert problem_paths(suite_request(synthflow_request(), name="  ")) == ["suite.name"]


def test_a_request_that_is_not_an_object_is_refused() -> None:
    assert problem_paths([suite_request()]) == [""]


def test_stored_keeps_the_suites_own_fields_and_no_run() -> None:
    request = parse_suite(
        suite_request(labels={"env": "prod"}, gate=GATE, concurrency={"bluejay": 2})
    )

    assert request.stored() == {
        "suite": {"name": "nightly"},
        "gate": GATE,
        "labels": {"env": "prod"},
        "concurrency": {"bluejay": 2},
    }


def test_a_parsed_suite_is_a_suite_request() -> None:
    assert isinstance(parse_suite(suite_request()), SuiteRequest)


def test_a_runs_labels_that_are_not_an_object_are_refused_not_replaced() -> None:
    run = synthflow_request(labels=["not", "an", "object"])

    assert problem_paths(suite_request(run, labels={"env": "prod"})) == ["suite.runs.0.labels"]


def test_a_bad_suite_gate_is_named_once_by_its_own_path() -> None:
    data = suite_request(synthflow_request(), synthflow_request(), gate={"min_pass_rate": 2})

    assert problem_paths(data) == ["gate.min_pass_rate"]


def test_bad_suite_labels_are_named_once_by_their_own_path() -> None:
    data = suite_request(synthflow_request(), synthflow_request(), labels={"bad key": "x"})

    assert problem_paths(data) == ["labels.bad key.[key]"]


def long_description(characters: int) -> dict[str, Any]:
    """A Bluejay run whose description is `characters` two-byte (UTF-8) characters long."""
    return bluejay_request(simulation={"agent_id": "12", "description": "é" * characters})


def test_a_run_too_large_to_store_is_refused_by_its_index_in_the_suite() -> None:
    paths = problem_paths(suite_request(synthflow_request(), long_description(70_000)))

    assert paths == ["suite.runs.1"]


def test_a_run_stored_alone_is_stored_in_a_suite_too() -> None:
    # 100,000 bytes in UTF-8, three times as many as \u escapes: measured as the run alone is
    run = long_description(50_000)
    parse_request(run)

    request = parse_suite(suite_request(run))

    assert request.runs[0].simulation is not None
