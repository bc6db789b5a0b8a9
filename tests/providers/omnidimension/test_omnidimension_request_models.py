"""OmniDimension request bodies: every documented constraint, with errors that name the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from support.omni_fake import SEED_CREATE_REQUEST, SEED_UPDATE_REQUEST
from support.run_requests import omnidimension_request
from support.validation import rejected_fields

from agentsim.providers.omnidimension import RunOptions, SimulationSpec, SimulationUpdate
from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RequestInvalid

SCENARIO: dict[str, Any] = {
    "name": "Book a cleaning",
    "description": "You are a new patient asking for a cleaning on Tuesday.",
    "expected_result": "The agent books a Tuesday slot.",
}


def spec_with(**fields: Any) -> dict[str, Any]:
    return {"name": "Dental clinic", "agent_id": 158910, "scenarios": [dict(SCENARIO)], **fields}


def scenario_with(**fields: Any) -> dict[str, Any]:
    return spec_with(scenarios=[{**SCENARIO, **fields}])


# The SDK's documented examples (omni_fake) and the envelope -----------------------------------


def test_the_seed_sdk_create_request_validates_and_is_sent_unchanged() -> None:
    spec = SimulationSpec.model_validate(copy.deepcopy(SEED_CREATE_REQUEST))
    assert spec.body() == SEED_CREATE_REQUEST


def test_the_seed_sdk_update_request_validates_and_is_sent_unchanged() -> None:
    update = SimulationUpdate.model_validate(copy.deepcopy(SEED_UPDATE_REQUEST))
    assert update.body() == SEED_UPDATE_REQUEST


def test_the_envelope_example_used_across_the_tests_validates_unchanged() -> None:
    simulation = omnidimension_request()["simulation"]
    assert SimulationSpec.model_validate(copy.deepcopy(simulation)).body() == simulation


def test_the_envelope_parses_an_omnidimension_request_into_its_spec() -> None:
    request = parse_request(omnidimension_request())
    assert isinstance(request.simulation, SimulationSpec)
    assert request.simulation.agent_id == 158910


def test_the_envelope_names_a_bad_omnidimension_field_by_its_path() -> None:
    with pytest.raises(RequestInvalid) as caught:
        parse_request(omnidimension_request(simulation=spec_with(concurrent_call_count=4)))
    assert [p.path for p in caught.value.problems] == ["simulation.concurrent_call_count"]


def test_unset_counts_are_not_sent_so_omnidimension_applies_its_defaults() -> None:
    assert SimulationSpec.model_validate(spec_with()).body() == spec_with()


# agent_id ------------------------------------------------------------------------------------


def test_a_missing_agent_id_is_rejected_by_name() -> None:
    data = spec_with()
    del data["agent_id"]
    assert rejected_fields(SimulationSpec, data) == ["agent_id"]


@pytest.mark.parametrize("bad", ["abc", "", "12a", "1.5", 1.5, 158910.0, True, 0, -3, None, [1]])
def test_an_agent_id_that_is_not_a_positive_integer_is_rejected_by_name(bad: object) -> None:
    assert rejected_fields(SimulationSpec, spec_with(agent_id=bad)) == ["agent_id"]


def test_a_numeric_string_agent_id_is_accepted_and_sent_as_an_integer() -> None:
    spec = SimulationSpec.model_validate(spec_with(agent_id=" 158910 "))
    assert spec.agent_id == 158910
    assert spec.body()["agent_id"] == 158910


# Counts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("number_of_call_to_make", 0),
        ("number_of_call_to_make", 4),
        ("number_of_call_to_make", "2"),
        ("number_of_call_to_make", 1.5),
        ("concurrent_call_count", 0),
        ("concurrent_call_count", 4),
        ("concurrent_call_count", True),
        ("max_call_duration_in_minutes", 0),
        ("max_call_duration_in_minutes", 11),
        ("max_call_duration_in_minutes", 2.0),
    ],
)
def test_each_count_outside_its_documented_range_is_rejected_by_name(
    field: str, bad: object
) -> None:
    assert rejected_fields(SimulationSpec, spec_with(**{field: bad})) == [field]


@pytest.mark.parametrize(
    ("calls", "concurrency", "minutes"), [(1, 1, 1), (3, 3, 10)], ids=["lowest", "highest"]
)
def test_counts_at_the_documented_bounds_are_accepted(
    calls: int, concurrency: int, minutes: int
) -> None:
    fields = {
        "number_of_call_to_make": calls,
        "concurrent_call_count": concurrency,
        "max_call_duration_in_minutes": minutes,
    }
    assert SimulationSpec.model_validate(spec_with(**fields)).body() == spec_with(**fields)


# Name, scenarios, voices ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (spec_with(name=""), "name"),
        (spec_with(name="   "), "name"),
        (spec_with(name=7), "name"),
        (spec_with(scenarios=[]), "scenarios"),
        (spec_with(scenarios=None), "scenarios"),
        (spec_with(scenarios=SCENARIO), "scenarios"),
        (spec_with(agentid=1), "agentid"),
        (scenario_with(name=""), "scenarios.0.name"),
        (scenario_with(description="  "), "scenarios.0.description"),
        (scenario_with(expected_result=None), "scenarios.0.expected_result"),
        (scenario_with(goal="x"), "scenarios.0.goal"),
        (scenario_with(id="abc"), "scenarios.0.id"),
        (scenario_with(id=2.5), "scenarios.0.id"),
        (scenario_with(selected_voices="v1"), "scenarios.0.selected_voices"),
        (scenario_with(selected_voices=[{"id": "v1"}]), "scenarios.0.selected_voices.0.provider"),
        (scenario_with(selected_voices=[{"id": "", "provider": "rime"}]),
         "scenarios.0.selected_voices.0.id"),
        (scenario_with(selected_voices=[{"id": "v1", "provider": "azure"}]),
         "scenarios.0.selected_voices.0.provider"),
        (scenario_with(selected_voices=[{"id": "v1", "provider": "rime", "speed": 1}]),
         "scenarios.0.selected_voices.0.speed"),
    ],
)  # fmt: skip
def test_each_spec_constraint_is_enforced_and_names_its_field(
    data: dict[str, Any], named: str
) -> None:
    assert rejected_fields(SimulationSpec, data) == [named]


def test_a_scenario_missing_every_required_field_names_each_one() -> None:
    fields = rejected_fields(SimulationSpec, spec_with(scenarios=[{}]))
    assert fields == ["scenarios.0.name", "scenarios.0.description", "scenarios.0.expected_result"]


@pytest.mark.parametrize(
    "provider", ["eleven_labs", "play_ht", "deepgram", "cartesia", "rime", "inworld"]
)
def test_every_voice_provider_of_the_openapi_or_the_sdk_is_accepted(provider: str) -> None:
    voices = [{"id": "voice-1", "provider": provider}]
    spec = SimulationSpec.model_validate(scenario_with(selected_voices=voices))
    assert spec.body()["scenarios"][0]["selected_voices"] == voices


def test_a_scenario_id_is_kept_and_a_numeric_string_id_sent_as_an_integer() -> None:
    spec = SimulationSpec.model_validate(
        spec_with(scenarios=[{**SCENARIO, "id": 5001}, {**SCENARIO, "id": "5002"}, SCENARIO])
    )
    assert [s.get("id") for s in spec.body()["scenarios"]] == [5001, 5002, None]


def test_the_same_scenario_id_twice_is_rejected_naming_scenarios() -> None:
    data = spec_with(scenarios=[{**SCENARIO, "id": 5001}, {**SCENARIO, "id": 5001}])
    with pytest.raises(ValidationError) as caught:
        SimulationSpec.model_validate(data)
    (error,) = caught.value.errors()
    assert error["loc"] == ("scenarios",)
    assert "5001" in error["msg"]


# Update and run options ----------------------------------------------------------------------


def test_an_update_may_change_a_single_field() -> None:
    assert SimulationUpdate.model_validate({"name": "v2"}).body() == {"name": "v2"}


def test_empty_run_options_send_the_empty_body_the_sdk_sends() -> None:
    assert RunOptions().body() == {}


def test_run_options_may_carry_the_scenarios_to_start_with() -> None:
    options = RunOptions.model_validate({"scenarios": [{**SCENARIO, "id": "5001"}]})
    assert options.body() == {"scenarios": [{**SCENARIO, "id": 5001}]}


@pytest.mark.parametrize(
    ("model", "data", "named"),
    [
        (SimulationUpdate, {"scenarios": []}, "scenarios"),
        (SimulationUpdate, {"max_call_duration_in_minutes": 11}, "max_call_duration_in_minutes"),
        (SimulationUpdate, {"agent_id": "abc"}, "agent_id"),
        (SimulationUpdate, {"status": "Draft"}, "status"),
        (RunOptions, {"scenarios": []}, "scenarios"),
        (RunOptions, {"digital_human_ids": [1]}, "digital_human_ids"),
    ],
)
def test_each_update_and_run_option_constraint_is_enforced_and_names_its_field(
    model: type[BaseModel], data: dict[str, Any], named: str
) -> None:
    assert rejected_fields(model, data) == [named]
