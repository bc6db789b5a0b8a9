"""Bluejay request bodies: every documented constraint, with errors that name the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from support.bluejay_fake import SEED_CREATE_REQUEST
from support.validation import rejected_fields

from agentsim.providers.bluejay import (
    EndConversations,
    QueueSimulationRun,
    RunOptions,
    SimulationSpec,
    update_body,
)

UUID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


def spec_with(**fields: Any) -> dict[str, Any]:
    return {"agent_id": "12", **fields}


# The API reference's example (bluejay_fake) ---------------------------------------------------


def test_the_seed_example_request_validates_and_is_sent_unchanged() -> None:
    # Given the request body from the create-simulation page
    spec = SimulationSpec.model_validate(copy.deepcopy(SEED_CREATE_REQUEST))
    # Then the body we would send is the same JSON
    assert spec.body() == SEED_CREATE_REQUEST


def test_only_agent_id_is_required_and_unset_fields_are_not_sent() -> None:
    assert SimulationSpec(agent_id="12").body() == {"agent_id": "12"}


# agent_id ------------------------------------------------------------------------------------


def test_a_missing_agent_id_is_rejected_by_name() -> None:
    assert rejected_fields(SimulationSpec, {"name": "x"}) == ["agent_id"]


def test_a_numeric_agent_id_is_rejected_because_the_api_types_it_as_a_string() -> None:
    assert rejected_fields(SimulationSpec, {"agent_id": 12}) == ["agent_id"]


def test_an_empty_agent_id_is_rejected() -> None:
    assert rejected_fields(SimulationSpec, {"agent_id": ""}) == ["agent_id"]


# Every other create field --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"prompt_id": "not-a-uuid"}, "prompt_id"),
        ({"knowledge_base_id": "42"}, "knowledge_base_id"),
        ({"max_concurrent": 0}, "max_concurrent"),
        ({"max_concurrent": 501}, "max_concurrent"),
        ({"max_concurrent": 2.5}, "max_concurrent"),
        ({"max_call_duration": 0}, "max_call_duration"),
        ({"max_call_duration_units": "hours"}, "max_call_duration_units"),
        ({"ringing_timeout": 0}, "ringing_timeout"),
        ({"sequential_calling": "sometimes"}, "sequential_calling"),
        ({"hangup_on_transfer": "sometimes"}, "hangup_on_transfer"),
        ({"always_on": "sometimes"}, "always_on"),
        ({"digital_humans_settings": {"num_runs": 0}}, "digital_humans_settings.num_runs"),
        ({"digital_humans_settings": {"voice": "x"}}, "digital_humans_settings.voice"),
        ({"digital_humans_settings": "random"}, "digital_humans_settings"),
        ({"selected_custom_metrics": ["nope"]}, "selected_custom_metrics.0"),
        ({"selected_custom_metrics": UUID}, "selected_custom_metrics"),
        ({"custom_metrics_failing_threshold": -1}, "custom_metrics_failing_threshold"),
        ({"custom_metrics_failing_threshold": 101}, "custom_metrics_failing_threshold"),
        ({"custom_metrics_passing_threshold": -1}, "custom_metrics_passing_threshold"),
        ({"custom_metrics_passing_threshold": 101}, "custom_metrics_passing_threshold"),
        ({"runs_per_digital_human": 0}, "runs_per_digital_human"),
        ({"agentid": "typo"}, "agentid"),
    ],
)
def test_each_create_constraint_is_enforced_and_names_its_field(
    fields: dict[str, Any], named: str
) -> None:
    assert rejected_fields(SimulationSpec, spec_with(**fields)) == [named]


@pytest.mark.parametrize(
    "fields",
    [
        {"max_concurrent": 1},
        {"max_concurrent": 500},
        {"custom_metrics_failing_threshold": 0, "custom_metrics_passing_threshold": 100},
        {"max_call_duration": 90, "max_call_duration_units": "seconds"},
        {"digital_humans_settings": {"num_runs": 3}},
        {"name": None, "prompt_id": None},
    ],
)
def test_values_at_the_documented_bounds_are_accepted(fields: dict[str, Any]) -> None:
    assert SimulationSpec.model_validate(spec_with(**fields)).body() == spec_with(**fields)


def test_digital_humans_settings_document_bluejays_defaults() -> None:
    settings = SimulationSpec.model_validate(spec_with(digital_humans_settings={}))
    assert settings.digital_humans_settings is not None
    # the reference page's example spells every default out
    documented = SEED_CREATE_REQUEST["digital_humans_settings"]
    assert settings.digital_humans_settings.model_dump() == documented


# Update --------------------------------------------------------------------------------------


def test_the_update_body_is_the_set_fields_without_agent_id() -> None:
    spec = SimulationSpec.model_validate(spec_with(name="v2", max_concurrent=3))
    assert update_body(spec) == {"name": "v2", "max_concurrent": 3}


def test_the_update_body_refuses_the_deprecated_sequential_calling() -> None:
    spec = SimulationSpec.model_validate(spec_with(sequential_calling=True))
    with pytest.raises(ValueError, match="sequential_calling"):
        update_body(spec)


# Run options ---------------------------------------------------------------------------------


def test_digital_human_ids_accept_ints_and_are_sent_as_strings() -> None:
    options = RunOptions.model_validate({"digital_human_ids": [45, "46"]})
    assert options.body() == {"digital_human_ids": ["45", "46"]}


def test_every_run_option_of_the_sdk_is_accepted() -> None:
    data = {
        "prompt_id": UUID,
        "knowledge_base_id": UUID,
        "digital_human_ids": ["45"],
        "phone_number": "+15550100",
        "sip_uri": "sip:agent@example.com",
        "livekit_agent_name": "",
        "livekit_metadata": {"a": 1},
        "pipecat_agent_name": "bot",
        "pipecat_agent_configuration": {"b": 2},
        "pipecat_room_properties": {"c": 3},
        "eleven_labs_agent_id": "el",
        "retell_agent_id": "re",
        "vapi_assistant_id": "va",
        "runs_per_digital_human": 2,
    }
    assert RunOptions.model_validate(data).body() == data


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"digital_human_ids": []}, "digital_human_ids"),
        ({"digital_human_ids": [True]}, "digital_human_ids.0"),
        ({"digital_human_ids": [""]}, "digital_human_ids.0"),
        ({"digital_human_ids": "45"}, "digital_human_ids"),
        ({"prompt_id": "x"}, "prompt_id"),
        ({"knowledge_base_id": "x"}, "knowledge_base_id"),
        ({"livekit_metadata": "x"}, "livekit_metadata"),
        ({"pipecat_agent_configuration": []}, "pipecat_agent_configuration"),
        ({"runs_per_digital_human": 0}, "runs_per_digital_human"),
        ({"simulation_id": "123"}, "simulation_id"),
        ({"phone": "+1555"}, "phone"),
    ],
)
def test_each_run_option_constraint_is_enforced_and_names_its_field(
    fields: dict[str, Any], named: str
) -> None:
    assert rejected_fields(RunOptions, fields) == [named]


def test_the_queue_body_carries_the_simulation_id_as_a_string() -> None:
    body = QueueSimulationRun.model_validate({"simulation_id": 123}).body()
    assert body == {"simulation_id": "123"}


# End conversations ---------------------------------------------------------------------------


def test_end_conversations_needs_at_least_one_result_id() -> None:
    assert rejected_fields(EndConversations, {"test_result_ids": []}) == ["test_result_ids"]


def test_end_conversations_sends_result_ids_as_ints() -> None:
    body = EndConversations.model_validate({"test_result_ids": ["1001", 1002]}).body()
    assert body == {"test_result_ids": [1001, 1002]}


def test_end_conversations_rejects_a_non_numeric_result_id() -> None:
    fields = rejected_fields(EndConversations, {"test_result_ids": ["abc"]})
    assert fields == ["test_result_ids.0"]
