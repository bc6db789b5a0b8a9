"""The request envelope: one shape for every trigger, provider-native fields validated by the
provider's own models, and an error per bad field naming its path."""

from __future__ import annotations

from typing import Any

import pytest
from support.run_requests import bluejay_request, omnidimension_request, synthflow_request

from agentsim.providers import bluejay as bluejay_models
from agentsim.providers import omnidimension, synthflow
from agentsim.providers.bluejay import SimulationSpec
from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RequestInvalid

SYNTHFLOW_CASE = "9ad09ad3-9c22-441e-ae35-c05016a09786"
SYNTHFLOW_AGENT = "1726005822670-239735712159542050"


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(RequestInvalid) as caught:
        parse_request(data)
    return {p.path: p.problem for p in caught.value.problems}


def bluejay(**overrides: Any) -> dict[str, Any]:
    return {"provider": "bluejay", "simulation": {"agent_id": "12"}, **overrides}


@pytest.mark.parametrize(
    ("request_data", "models"),
    [
        (omnidimension_request(run={}), omnidimension),
        (bluejay_request(run={}), bluejay_models),
        (synthflow_request(run={}), synthflow),
    ],
    ids=["omnidimension", "bluejay", "synthflow"],
)
def test_each_provider_validates_with_its_own_request_models(
    request_data: dict[str, Any], models: Any
) -> None:
    request = parse_request(request_data)

    assert isinstance(request.simulation, models.SimulationSpec)
    assert isinstance(request.run, models.RunOptions)


def test_valid_request_keeps_provider_native_fields() -> None:
    request = parse_request(
        {
            "provider": "synthflow",
            "simulation": {
                "simulation_case_id": SYNTHFLOW_CASE,
                "target_agent_id": SYNTHFLOW_AGENT,
            },
            "run": {"custom_variables": {"name": "Ada"}},
            "gate": {"min_pass_rate": 0.5},
            "labels": {"team": "voice"},
            "timeout_minutes": 30,
        }
    )

    assert request.stored() == {
        "provider": "synthflow",
        "simulation": {"simulation_case_id": SYNTHFLOW_CASE, "target_agent_id": SYNTHFLOW_AGENT},
        "run": {"custom_variables": {"name": "Ada"}},
        "gate": {"min_pass_rate": 0.5},
        "labels": {"team": "voice"},
        "timeout_minutes": 30,
    }


def test_simulation_is_validated_by_the_providers_spec() -> None:
    assert isinstance(parse_request(bluejay()).simulation, SimulationSpec)


def test_existing_simulation_id_alone_is_enough() -> None:
    request = parse_request({"provider": "bluejay", "simulation_id": "345"})

    assert (request.simulation, request.simulation_id) == (None, "345")


def test_timeout_has_a_default() -> None:
    assert parse_request(bluejay()).timeout_minutes == 120


def test_neither_simulation_nor_simulation_id_names_simulation() -> None:
    assert "simulation_id" in problems({"provider": "bluejay"})["simulation"]


def test_unknown_provider_names_provider() -> None:
    assert problems({"provider": "vapi", "simulation_id": "1"}) == {
        "provider": "must be one of omnidimension, bluejay, synthflow"
    }


def test_missing_provider_names_provider() -> None:
    assert list(problems({"simulation_id": "1"})) == ["provider"]


def test_every_bad_field_is_reported_at_once() -> None:
    found = problems(
        bluejay(
            simulation={"agent_id": 12, "max_concurrent": 0},
            gate={"min_pass_rate": 1.5},
            timeout_minutes=0,
            surprise=True,
        )
    )

    assert set(found) == {
        "simulation.agent_id",
        "simulation.max_concurrent",
        "gate.min_pass_rate",
        "timeout_minutes",
        "surprise",
    }


def test_bluejay_run_options_are_validated_under_run() -> None:
    assert "run.digital_human_ids" in problems(bluejay(run={"digital_human_ids": []}))


def test_synthflow_spec_errors_name_the_synthflow_field() -> None:
    found = problems({"provider": "synthflow", "simulation": {"target_agent_id": SYNTHFLOW_AGENT}})

    assert list(found) == ["simulation.suite_id"]


def test_omnidimension_spec_requires_its_agent() -> None:
    found = problems({"provider": "omnidimension", "simulation": {"name": "No agent"}})

    assert "simulation.agent_id" in found


def test_fields_of_another_provider_are_refused() -> None:
    # a Synthflow field sent to Bluejay
    assert "simulation.target_agent_id" in problems(
        bluejay(simulation={"agent_id": "12", "target_agent_id": SYNTHFLOW_AGENT})
    )


@pytest.mark.parametrize("key", ["has space", "", "x" * 65, "semi;colon"])
def test_label_keys_are_limited(key: str) -> None:
    assert any(path.startswith("labels") for path in problems(bluejay(labels={key: "v"})))


def test_label_values_must_be_short_strings() -> None:
    assert set(problems(bluejay(labels={"a": "x" * 257, "b": 3}))) == {"labels.a", "labels.b"}


def test_at_most_twenty_labels() -> None:
    assert "labels" in problems(bluejay(labels={f"k{i}": "v" for i in range(21)}))


@pytest.mark.parametrize("minutes", [0, 1441, "soon"])
def test_timeout_is_bounded(minutes: object) -> None:
    assert "timeout_minutes" in problems(bluejay(timeout_minutes=minutes))


@pytest.mark.parametrize("data", [[], "null", b"[1]", 42])
def test_body_must_be_a_json_object(data: Any) -> None:
    assert problems(data) == {"": "must be a JSON object"}


def test_malformed_json_is_reported() -> None:
    assert list(problems(b'{"provider": ')) == [""]


def test_rejected_values_are_not_echoed_in_problems() -> None:
    leaked = "sk-live-VERY-SECRET"

    found = problems(bluejay(simulation={"agent_id": "12", "name": {"key": leaked}}))

    assert leaked not in repr(found)
