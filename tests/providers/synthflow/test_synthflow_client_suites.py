"""SynthflowClient suite and case calls: execute by query parameters, cases and suites read."""

from __future__ import annotations

import httpx
import pytest
from support.synthflow_client_calls import EXECUTE, EXECUTED
from support.synthflow_fake import (
    AGENT_ID,
    CASE_ID,
    SESSION_ID,
    SUITE_ID,
    FakeSynthflow,
    case_body,
    listing,
    make_client,
    ok,
    suite_body,
)

from agentsim.providers import errors


def test_execute_sends_query_parameters_and_no_body() -> None:
    fake = FakeSynthflow().on("POST", EXECUTE, httpx.Response(200, json=EXECUTED))

    execution = make_client(fake).execute_suite(SUITE_ID, AGENT_ID, max_turns=30)

    request = fake.requests[0]
    assert dict(request.url.params) == {"target_agent_id": AGENT_ID, "max_turns": "30"}
    assert request.content == b""
    assert (execution.session_id, execution.total_cases) == (SESSION_ID, 3)


def test_execute_defaults_to_twenty_turns() -> None:
    fake = FakeSynthflow().on("POST", EXECUTE, httpx.Response(200, json=EXECUTED))
    make_client(fake).execute_suite(SUITE_ID, AGENT_ID)
    assert fake.requests[0].url.params["max_turns"] == "20"


def test_execute_accepts_an_enveloped_answer_too() -> None:
    fake = FakeSynthflow().on("POST", EXECUTE, ok(EXECUTED))
    assert make_client(fake).execute_suite(SUITE_ID, AGENT_ID).session_id == SESSION_ID


def test_execute_with_an_error_status_and_no_session_is_rejected() -> None:
    fake = FakeSynthflow().on(
        "POST", EXECUTE, httpx.Response(200, json={"status": "error", "message": "suite empty"})
    )
    with pytest.raises(errors.ProviderRejected, match="suite empty"):
        make_client(fake).execute_suite(SUITE_ID, AGENT_ID)


def test_get_case_get_suite_and_list_cases_read_their_paths() -> None:
    fake = (
        FakeSynthflow()
        .on("GET", f"simulation_cases/{CASE_ID}", ok(case_body()))
        .on("GET", f"simulation_suites/{SUITE_ID}", ok(suite_body()))
        .on("GET", "simulation_cases", listing([case_body()]))
    )
    client = make_client(fake)

    assert client.get_case(CASE_ID).name == "Book an appointment"
    assert client.get_suite(SUITE_ID).model_id == AGENT_ID
    assert client.list_cases(suite_id=SUITE_ID).items[0].simulation_case_id == CASE_ID
    assert fake.requests[2].url.params["suite_id"] == SUITE_ID
