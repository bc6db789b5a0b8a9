"""Synthflow request models: what a start request may hold, and errors that name the field."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import ValidationError
from support.synthflow_fake import AGENT_ID, CASE_ID, SEED_REQUEST, SUITE_ID

from agentsim.providers.synthflow import RunOptions, SimulationSpec, session_id_for


def rejected_fields(data: dict[str, Any]) -> dict[str, str]:
    """Validate `data`, expecting failure; return {field: message}."""
    with pytest.raises(ValidationError) as caught:
        SimulationSpec.model_validate(data)
    return {".".join(str(p) for p in e["loc"]): e["msg"] for e in caught.value.errors()}


def test_the_seed_request_validates_as_a_single_case() -> None:
    spec = SimulationSpec.model_validate(SEED_REQUEST)

    assert spec.kind == "case"
    assert spec.simulation_case_id == uuid.UUID(CASE_ID)
    assert spec.target_agent_id == AGENT_ID
    assert spec.custom_variables == {"customer_name": "John Doe"}
    assert spec.target_id == CASE_ID


def test_a_suite_spec_defaults_to_twenty_turns() -> None:
    spec = SimulationSpec.model_validate({"suite_id": SUITE_ID, "target_agent_id": AGENT_ID})

    assert spec.kind == "suite"
    assert spec.max_turns == 20
    assert spec.target_id == SUITE_ID


def test_the_spec_round_trips_through_json() -> None:
    spec = SimulationSpec.model_validate(SEED_REQUEST)
    again = SimulationSpec.model_validate_json(spec.model_dump_json())
    assert again == spec


def test_target_agent_id_need_not_be_a_uuid() -> None:
    spec = SimulationSpec.model_validate({**SEED_REQUEST, "target_agent_id": "agent-42"})
    assert spec.target_agent_id == "agent-42"


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_target_agent_id_is_rejected(value: str) -> None:
    errors = rejected_fields({**SEED_REQUEST, "target_agent_id": value})
    assert "target_agent_id" in errors


def test_a_missing_target_agent_id_is_rejected() -> None:
    errors = rejected_fields({"simulation_case_id": CASE_ID})
    assert errors["target_agent_id"] == "Field required"


def test_simulation_case_id_must_be_a_uuid() -> None:
    errors = rejected_fields({**SEED_REQUEST, "simulation_case_id": "case-1"})
    assert "simulation_case_id" in errors


def test_suite_id_must_be_a_uuid() -> None:
    errors = rejected_fields({"suite_id": "suite-1", "target_agent_id": AGENT_ID})
    assert "suite_id" in errors


def test_simulation_session_id_must_be_a_uuid() -> None:
    errors = rejected_fields({**SEED_REQUEST, "simulation_session_id": "session-1"})
    assert "simulation_session_id" in errors


def test_custom_variables_must_be_an_object() -> None:
    errors = rejected_fields({**SEED_REQUEST, "custom_variables": ["customer_name"]})
    assert "custom_variables" in errors


def test_unknown_fields_are_rejected_by_name() -> None:
    errors = rejected_fields({**SEED_REQUEST, "agent_id": AGENT_ID})
    assert errors["agent_id"] == "Extra inputs are not permitted"


def test_a_spec_without_case_or_suite_names_both_fields() -> None:
    errors = rejected_fields({"target_agent_id": AGENT_ID})
    message = " ".join(errors.values())
    assert "simulation_case_id" in message
    assert "suite_id" in message


def test_a_spec_with_both_case_and_suite_is_rejected() -> None:
    errors = rejected_fields({**SEED_REQUEST, "suite_id": SUITE_ID, "custom_variables": None})
    assert "not both" in errors["suite_id"]


@pytest.mark.parametrize("turns", [9, 51, 0, -1])
def test_max_turns_must_be_between_ten_and_fifty(turns: int) -> None:
    errors = rejected_fields(
        {"suite_id": SUITE_ID, "target_agent_id": AGENT_ID, "max_turns": turns}
    )
    assert "max_turns" in errors


@pytest.mark.parametrize("turns", [10, 50])
def test_max_turns_accepts_its_bounds(turns: int) -> None:
    spec = SimulationSpec.model_validate(
        {"suite_id": SUITE_ID, "target_agent_id": AGENT_ID, "max_turns": turns}
    )
    assert spec.max_turns == turns


def test_max_turns_is_refused_for_a_single_case() -> None:
    errors = rejected_fields({**SEED_REQUEST, "max_turns": 20})
    assert "suite" in errors["max_turns"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("simulation_session_id", str(uuid.uuid4())), ("custom_variables", {"a": 1})],
    ids=["simulation_session_id", "custom_variables"],
)
def test_case_only_fields_are_refused_for_a_suite(field: str, value: object) -> None:
    errors = rejected_fields({"suite_id": SUITE_ID, "target_agent_id": AGENT_ID, field: value})
    assert field in errors
    assert field in errors[field]


def test_run_options_may_be_empty() -> None:
    assert RunOptions.model_validate({}).custom_variables is None


def test_run_options_take_custom_variables() -> None:
    options = RunOptions.model_validate({"custom_variables": {"customer_name": "Ann"}})
    assert options.custom_variables == {"customer_name": "Ann"}


def test_run_options_reject_unknown_fields_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        RunOptions.model_validate({"max_turns": 20})
    assert caught.value.errors()[0]["loc"] == ("max_turns",)


def test_run_options_custom_variables_must_be_an_object() -> None:
    with pytest.raises(ValidationError) as caught:
        RunOptions.model_validate({"custom_variables": "x"})
    assert caught.value.errors()[0]["loc"][0] == "custom_variables"


def test_the_session_id_is_a_stable_uuid_per_run() -> None:
    first = session_id_for("run-1")

    assert first == session_id_for("run-1")
    assert first != session_id_for("run-2")
    assert uuid.UUID(first) == uuid.uuid5(uuid.NAMESPACE_URL, "agentsim:run-1")
