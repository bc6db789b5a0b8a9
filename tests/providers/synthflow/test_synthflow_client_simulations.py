"""SynthflowClient simulation calls: start, list, sessions and paging, over a MockTransport."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from support.synthflow_client_calls import start
from support.synthflow_fake import (
    AGENT_ID,
    CASE_ID,
    SEED_REQUEST,
    SEED_RESPONSE,
    SESSION_ID,
    SIMULATION_ID,
    FakeSynthflow,
    listing,
    make_client,
    ok,
    session,
    simulation,
)

from agentsim.providers import errors


def test_start_posts_the_seed_body_and_reads_the_seed_answer() -> None:
    fake = FakeSynthflow().on("POST", "simulations", httpx.Response(200, json=SEED_RESPONSE))

    started = make_client(fake).start_simulation(
        CASE_ID, AGENT_ID, custom_variables={"customer_name": "John Doe"}
    )

    assert started.simulation_id == SIMULATION_ID
    assert fake.body(fake.requests[0]) == SEED_REQUEST


def test_start_accepts_a_full_simulation_answer() -> None:
    fake = FakeSynthflow().on("POST", "simulations", ok(simulation(status="in-progress")))
    started = make_client(fake).start_simulation(CASE_ID, AGENT_ID, SESSION_ID)
    assert (started.simulation_id, started.status) == (SIMULATION_ID, "in-progress")


def test_start_sends_the_session_id_when_given() -> None:
    fake = FakeSynthflow().on("POST", "simulations", httpx.Response(200, json=SEED_RESPONSE))
    make_client(fake).start_simulation(CASE_ID, AGENT_ID, simulation_session_id=SESSION_ID)
    assert fake.body(fake.requests[0]) == {
        "simulation_case_id": CASE_ID,
        "target_agent_id": AGENT_ID,
        "simulation_session_id": SESSION_ID,
    }


def test_a_start_answer_without_simulation_id_is_an_ambiguous_fault() -> None:
    fake = FakeSynthflow().on("POST", "simulations", ok({"id": "x"}))
    with pytest.raises(errors.ProviderUnavailable) as caught:
        start(make_client(fake))
    assert caught.value.ambiguous
    assert "simulation_id" in caught.value.message


def test_list_simulations_sends_its_filters_as_query() -> None:
    fake = FakeSynthflow().on("GET", "simulations", listing([simulation()]))

    page = make_client(fake).list_simulations(
        page_number=2,
        page_size=5,
        simulation_session_id=SESSION_ID,
        status="completed",
        start_date=datetime(2025, 11, 21, 10, 0, tzinfo=UTC),
        target_agent_id=AGENT_ID,
    )

    assert page.items[0].simulation_id == SIMULATION_ID
    assert dict(fake.requests[0].url.params) == {
        "page_number": "2",
        "page_size": "5",
        "simulation_session_id": SESSION_ID,
        "status": "completed",
        "start_date": "2025-11-21T10:00:00+00:00",
        "target_agent_id": AGENT_ID,
    }


def test_list_sessions_reads_the_sessions_path() -> None:
    fake = FakeSynthflow().on("GET", "simulations/sessions", listing([session([simulation()])]))
    page = make_client(fake).list_sessions(target_agent_id=AGENT_ID)
    assert page.items[0].simulation_session_id == SESSION_ID
    assert fake.requests[0].url.params["target_agent_id"] == AGENT_ID


def test_get_session_reads_the_singular_session_path() -> None:
    fake = FakeSynthflow().on("GET", f"simulations/session/{SESSION_ID}", ok(session([])))
    assert make_client(fake).get_session(SESSION_ID).total_simulations == 0


def test_iterating_simulations_walks_every_page() -> None:
    first = [simulation(f"s{i}") for i in range(50)]
    fake = FakeSynthflow().on(
        "GET",
        "simulations",
        ok({"pagination": {"total_records": 51}, "items": first}),
        ok({"pagination": {"total_records": 51}, "items": [simulation("s50")]}),
    )

    found = list(make_client(fake).iter_simulations(simulation_session_id=SESSION_ID))

    assert len(found) == 51
    assert [r.url.params["page_number"] for r in fake.requests] == ["1", "2"]
    assert {r.url.params["simulation_session_id"] for r in fake.requests} == {SESSION_ID}


def test_iterating_sessions_stops_at_a_short_page() -> None:
    fake = FakeSynthflow().on("GET", "simulations/sessions", ok({"items": [session([])]}))
    assert len(list(make_client(fake).iter_sessions(target_agent_id=AGENT_ID))) == 1
    assert len(fake.requests) == 1
