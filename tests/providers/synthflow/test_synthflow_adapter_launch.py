"""SynthflowProvider launch and find_launch: a case starts in the run's own session, a suite is
executed, and a start that landed is found rather than repeated (no duplicate paid runs)."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from pydantic import TypeAdapter
from support.synthflow_adapter import (
    ATTEMPTED,
    EXECUTED,
    OWN_SESSION,
    RUN_ID,
    SUITE_PATH,
    SUITE_SPEC,
    case_fake,
    prepared_case,
    session_holding,
    suite_fake,
)
from support.synthflow_client_calls import EXECUTE
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
    listing,
    make_provider,
    ok,
    session,
    simulation,
    suite_body,
)

from agentsim.providers.errors import ProviderRejected, ProviderUnavailable
from agentsim.providers.handles import LaunchedHandle
from agentsim.providers.synthflow import RunOptions, SynthflowSimulation

CASES = (CASE_ID, FAIL_CASE_ID)


# launch -------------------------------------------------------------------------------------------


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


# find_launch --------------------------------------------------------------------------------------


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


def test_find_launch_of_a_suite_takes_the_newest_session_of_its_cases() -> None:
    early = session_holding("s-early", *CASES, at="2025-11-21T10:00:01Z")
    late = session_holding("s-late", *CASES, at="2025-11-21T10:00:09Z")
    foreign = session(
        [simulation("c", case_id="11111111-1111-1111-1111-111111111111")], session_id="s-other"
    )
    stale = session([simulation("d", created_at="2025-11-20T10:00:00Z")], session_id="s-stale")
    fake = suite_fake(early, late, foreign, stale)
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
    fake = suite_fake()
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
    fake = suite_fake(single, suite_run)
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
