"""SynthflowProvider.prepare: a case or suite checked to exist, an id alone resolved, a bad spec
refused."""

from __future__ import annotations

import httpx
import pytest
from pydantic import TypeAdapter
from support.synthflow_adapter import CASE_PATH, SUITE_PATH, SUITE_SPEC, case_fake, prepared_case
from support.synthflow_fake import (
    AGENT_ID,
    CASE_ID,
    FAIL_CASE_ID,
    SEED_REQUEST,
    SUITE_ID,
    FakeSynthflow,
    make_provider,
    ok,
    suite_body,
)

from agentsim.providers.errors import ProviderNotFound, ProviderRejected
from agentsim.providers.handles import PreparedHandle
from agentsim.providers.synthflow import RunOptions, SimulationSpec


def test_preparing_a_case_checks_it_exists_and_keeps_the_start_fields() -> None:
    fake = case_fake()

    prepared = prepared_case(fake)

    assert prepared.kind == "case"
    assert prepared.simulation_id == CASE_ID
    assert prepared.target_agent_id == AGENT_ID
    assert prepared.custom_variables == {"customer_name": "John Doe"}
    assert prepared.case_name == "Book an appointment"
    assert [r.url.path for r in fake.requests] == [f"/v2/{CASE_PATH}"]
    stored = TypeAdapter(PreparedHandle)
    assert stored.validate_json(stored.dump_json(prepared)) == prepared


def test_preparing_an_unknown_case_is_not_found_naming_it() -> None:
    fake = FakeSynthflow().on("GET", CASE_PATH, httpx.Response(404, json={"detail": "Not found"}))
    with pytest.raises(ProviderNotFound, match=CASE_ID):
        prepared_case(fake)


def test_preparing_a_suite_records_its_agent_cases_and_turns() -> None:
    fake = FakeSynthflow().on("GET", SUITE_PATH, ok(suite_body()))

    prepared = make_provider(fake).prepare(SUITE_SPEC)

    assert (prepared.kind, prepared.simulation_id) == ("suite", SUITE_ID)
    assert prepared.target_agent_id == AGENT_ID
    assert prepared.max_turns == 20
    assert prepared.case_ids == [CASE_ID, FAIL_CASE_ID]
    assert prepared.total_cases == 2


def test_a_suite_refuses_another_agent_than_its_own() -> None:
    fake = FakeSynthflow().on("GET", SUITE_PATH, ok(suite_body(model_id="other-agent")))
    with pytest.raises(ProviderRejected, match="target_agent_id"):
        make_provider(fake).prepare(SUITE_SPEC)


def test_a_case_id_alone_is_refused_asking_for_the_agent() -> None:
    fake = case_fake()
    with pytest.raises(ProviderRejected) as caught:
        make_provider(fake).prepare(None, simulation_id=CASE_ID)
    assert "target_agent_id" in caught.value.message
    assert not fake.calls("POST", "simulations")


def test_a_suite_id_alone_runs_the_suite_on_its_own_agent() -> None:
    fake = (
        FakeSynthflow()
        .on("GET", f"simulation_cases/{SUITE_ID}", httpx.Response(404, json={"detail": "x"}))
        .on("GET", SUITE_PATH, ok(suite_body()))
    )
    prepared = make_provider(fake).prepare(None, simulation_id=SUITE_ID)
    assert (prepared.kind, prepared.target_agent_id) == ("suite", AGENT_ID)


def test_an_id_that_is_neither_case_nor_suite_is_not_found() -> None:
    with pytest.raises(ProviderNotFound, match="neither"):
        make_provider(FakeSynthflow()).prepare(None, simulation_id=SUITE_ID)


def test_nothing_to_prepare_is_refused() -> None:
    with pytest.raises(ProviderRejected, match="simulation"):
        make_provider(FakeSynthflow()).prepare(None)


def test_an_id_disagreeing_with_the_spec_is_refused() -> None:
    spec = SimulationSpec.model_validate(SEED_REQUEST)
    with pytest.raises(ProviderRejected, match="simulation_case_id"):
        make_provider(case_fake()).prepare(spec, simulation_id=FAIL_CASE_ID)


def test_an_id_equal_to_the_spec_case_is_accepted() -> None:
    spec = SimulationSpec.model_validate(SEED_REQUEST)
    assert make_provider(case_fake()).prepare(spec, simulation_id=CASE_ID).simulation_id == CASE_ID


def test_a_foreign_spec_model_is_validated_naming_the_field() -> None:
    foreign = RunOptions(custom_variables={"a": 1})
    with pytest.raises(ProviderRejected, match=r"simulation\.target_agent_id"):
        make_provider(case_fake()).prepare(foreign)


def test_a_plain_mapping_spec_is_accepted() -> None:
    prepared = make_provider(case_fake()).prepare(dict(SEED_REQUEST))  # type: ignore[arg-type]
    assert prepared.simulation_id == CASE_ID
