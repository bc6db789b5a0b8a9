"""SynthflowProvider prepare / launch / find_launch: no duplicate paid runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from support.synthflow_fake import (
    AGENT_ID,
    CASE_ID,
    FAIL_CASE_ID,
    SEED_REQUEST,
    SEED_RESPONSE,
    SESSION_ID,
    SIMULATION_ID,
    SUITE_ID,
    FakeSynthflow,
    case_body,
    listing,
    make_provider,
    ok,
    session,
    simulation,
    suite_body,
)

from agentsim.providers.errors import ProviderNotFound, ProviderRejected, ProviderUnavailable
from agentsim.providers.handles import LaunchedHandle, PreparedHandle
from agentsim.providers.synthflow import (
    RunOptions,
    SimulationSpec,
    SynthflowSimulation,
    session_id_for,
)

RUN_ID = "run-0001"
OWN_SESSION = session_id_for(RUN_ID)
CASE_PATH = f"simulation_cases/{CASE_ID}"
SUITE_PATH = f"simulation_suites/{SUITE_ID}"
EXECUTE = f"{SUITE_PATH}/execute"
ATTEMPTED = datetime(2025, 11, 21, 10, 0, 0, tzinfo=UTC)
SUITE_SPEC = SimulationSpec(suite_id=SUITE_ID, target_agent_id=AGENT_ID)
EXECUTED = {"session_id": SESSION_ID, "suite_id": SUITE_ID, "suite_name": "S", "total_cases": 2}


def case_fake() -> FakeSynthflow:
    return FakeSynthflow().on("GET", CASE_PATH, ok(case_body()))


def prepared_case(fake: FakeSynthflow, **spec: object) -> Any:
    return make_provider(fake).prepare(SimulationSpec.model_validate({**SEED_REQUEST, **spec}))


# prepare ---------------------------------------------------------------------------------------


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


# launch ----------------------------------------------------------------------------------------


def test_launching_a_case_starts_it_in_the_run_own_session() -> None:
    fake = case_fake().on("POST", "simulations", httpx.Response(200, json=SEED_RESPONSE))
    provider = make_provider(fake)

    run = provider.launch(prepared_case(fake), None, idempotency_key=RUN_ID)

    assert run.kind == "simulation"
    assert (run.simulation_id, run.run_id) == (SIMULATION_ID, OWN_SESSION)
    assert run.simulation_case_id == CASE_ID
    stored = TypeAdapter(LaunchedHandle)
    assert stored.validate_json(stored.dump_json(run)) == run
    assert fake.body(fake.calls("POST", "simulations")[0]) == {
        **SEED_REQUEST,
        "simulation_session_id": OWN_SESSION,
    }


def test_run_variables_are_merged_over_the_spec_variables() -> None:
    fake = case_fake().on("POST", "simulations", httpx.Response(200, json=SEED_RESPONSE))
    options = RunOptions(custom_variables={"customer_name": "Ann", "tier": "gold"})

    make_provider(fake).launch(prepared_case(fake), options, idempotency_key=RUN_ID)

    sent = fake.body(fake.calls("POST", "simulations")[0])
    assert sent["custom_variables"] == {"customer_name": "Ann", "tier": "gold"}


def test_a_caller_chosen_session_is_used_as_given() -> None:
    fake = case_fake().on("POST", "simulations", httpx.Response(200, json=SEED_RESPONSE))
    prepared = prepared_case(fake, simulation_session_id=SESSION_ID)

    run = make_provider(fake).launch(prepared, None, idempotency_key=RUN_ID)

    assert fake.body(fake.calls("POST", "simulations")[0])["simulation_session_id"] == SESSION_ID
    assert run.run_id == SESSION_ID


def test_an_ambiguous_start_failure_is_not_repeated() -> None:
    fake = case_fake().on("POST", "simulations", httpx.Response(502), ok({"simulation_id": "x"}))
    provider = make_provider(fake)

    with pytest.raises(ProviderUnavailable) as caught:
        provider.launch(prepared_case(fake), None, idempotency_key=RUN_ID)

    assert caught.value.ambiguous
    assert len(fake.calls("POST", "simulations")) == 1


def test_launching_a_suite_executes_it_and_returns_the_session() -> None:
    fake = (
        FakeSynthflow()
        .on("GET", SUITE_PATH, ok(suite_body()))
        .on("POST", EXECUTE, httpx.Response(200, json=EXECUTED))
    )
    provider = make_provider(fake)

    run = provider.launch(provider.prepare(SUITE_SPEC), None, idempotency_key=RUN_ID)

    assert run.kind == "session"
    assert (run.simulation_id, run.run_id) == (SESSION_ID, SESSION_ID)
    assert run.suite_id == SUITE_ID
    assert run.total_cases == 2
    assert dict(fake.calls("POST", EXECUTE)[0].url.params) == {
        "target_agent_id": AGENT_ID,
        "max_turns": "20",
    }


def test_a_suite_refuses_run_variables_before_executing() -> None:
    fake = FakeSynthflow().on("GET", SUITE_PATH, ok(suite_body()))
    provider = make_provider(fake)
    prepared = provider.prepare(SUITE_SPEC)

    with pytest.raises(ProviderRejected, match=r"run\.custom_variables"):
        provider.launch(prepared, RunOptions(custom_variables={"a": 1}), idempotency_key=RUN_ID)
    assert not fake.calls("POST", EXECUTE)


def test_a_launched_handle_cannot_be_launched_again() -> None:
    launched = SynthflowSimulation(simulation_id=SIMULATION_ID)
    with pytest.raises(ProviderRejected, match="already launched"):
        make_provider(FakeSynthflow()).launch(launched, None, idempotency_key=RUN_ID)


# find_launch -----------------------------------------------------------------------------------


def test_find_launch_looks_the_case_up_in_the_run_own_session() -> None:
    fake = case_fake().on(
        "GET", "simulations", listing([simulation(session_id=OWN_SESSION, status="in-progress")])
    )
    provider = make_provider(fake)

    found = provider.find_launch(
        prepared_case(fake), idempotency_key=RUN_ID, attempted_at=ATTEMPTED
    )

    assert found is not None
    assert (found.kind, found.simulation_id, found.run_id) == (
        "simulation",
        SIMULATION_ID,
        OWN_SESSION,
    )
    assert fake.calls("GET", "simulations")[0].url.params["simulation_session_id"] == OWN_SESSION


def test_find_launch_finds_nothing_when_the_start_never_landed() -> None:
    fake = case_fake().on("GET", "simulations", listing([]))
    provider = make_provider(fake)
    prepared = prepared_case(fake)
    assert provider.find_launch(prepared, idempotency_key=RUN_ID, attempted_at=ATTEMPTED) is None


def test_find_launch_in_a_caller_session_ignores_older_runs_and_other_cases() -> None:
    older = simulation("old", created_at="2025-11-21T09:00:00Z")
    other_case = simulation("other", case_id=FAIL_CASE_ID, created_at="2025-11-21T10:00:02Z")
    ours = simulation("ours", created_at="2025-11-21T10:00:01Z")
    fake = case_fake().on("GET", "simulations", listing([older, other_case, ours]))
    provider = make_provider(fake)
    prepared = prepared_case(fake, simulation_session_id=SESSION_ID)

    found = provider.find_launch(prepared, idempotency_key=RUN_ID, attempted_at=ATTEMPTED)

    assert found is not None
    assert found.simulation_id == "ours"


def suite_session(session_id: str, at: str) -> dict[str, object]:
    """A session holding the suite's two cases, started at `at`."""
    runs = [simulation(f"{session_id}-{n}", case_id=c, created_at=at) for n, c in enumerate(CASES)]
    return session(runs, session_id=session_id)


CASES = (CASE_ID, FAIL_CASE_ID)


def test_find_launch_of_a_suite_takes_the_newest_session_of_its_cases() -> None:
    early = suite_session("s-early", "2025-11-21T10:00:01Z")
    late = suite_session("s-late", "2025-11-21T10:00:09Z")
    foreign = session(
        [simulation("c", case_id="11111111-1111-1111-1111-111111111111")], session_id="s-other"
    )
    stale = session([simulation("d", created_at="2025-11-20T10:00:00Z")], session_id="s-stale")
    fake = (
        FakeSynthflow()
        .on("GET", SUITE_PATH, ok(suite_body()))
        .on("GET", "simulations/sessions", listing([early, late, foreign, stale]))
    )
    provider = make_provider(fake)

    found = provider.find_launch(
        provider.prepare(SUITE_SPEC), idempotency_key=RUN_ID, attempted_at=ATTEMPTED
    )

    assert found is not None
    assert (found.kind, found.simulation_id) == ("session", "s-late")
    params = fake.calls("GET", "simulations/sessions")[0].url.params
    assert params["target_agent_id"] == AGENT_ID
    assert datetime.fromisoformat(params["start_date"]) < ATTEMPTED


def test_find_launch_of_a_suite_with_no_new_session_finds_nothing() -> None:
    fake = (
        FakeSynthflow()
        .on("GET", SUITE_PATH, ok(suite_body()))
        .on("GET", "simulations/sessions", listing([]))
    )
    provider = make_provider(fake)
    prepared = provider.prepare(SUITE_SPEC)
    assert provider.find_launch(prepared, idempotency_key=RUN_ID, attempted_at=ATTEMPTED) is None


def test_find_launch_of_a_suite_prefers_a_session_holding_all_its_cases() -> None:
    # Given a newer single-case run of the same agent next to our suite session
    suite_run = session(
        [
            simulation("a", created_at="2025-11-21T10:00:01Z"),
            simulation("b", case_id=FAIL_CASE_ID, created_at="2025-11-21T10:00:01Z"),
        ],
        session_id="s-suite",
    )
    single = session([simulation("c", created_at="2025-11-21T10:00:30Z")], session_id="s-one")
    fake = (
        FakeSynthflow()
        .on("GET", SUITE_PATH, ok(suite_body()))
        .on("GET", "simulations/sessions", listing([single, suite_run]))
    )
    provider = make_provider(fake)

    found = provider.find_launch(
        provider.prepare(SUITE_SPEC), idempotency_key=RUN_ID, attempted_at=ATTEMPTED
    )

    assert found is not None
    assert found.simulation_id == "s-suite"
    assert found.total_cases == 2


def test_find_launch_refuses_an_already_launched_handle() -> None:
    launched = SynthflowSimulation(simulation_id=SIMULATION_ID)
    with pytest.raises(ProviderRejected, match="already launched"):
        make_provider(FakeSynthflow()).find_launch(
            launched, idempotency_key=RUN_ID, attempted_at=ATTEMPTED
        )


def test_a_plain_mapping_spec_is_accepted() -> None:
    prepared = make_provider(case_fake()).prepare(dict(SEED_REQUEST))  # type: ignore[arg-type]
    assert prepared.simulation_id == CASE_ID
