"""SynthflowClient over a MockTransport: paths, bodies, the envelope, errors and retries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from support.scripted_clients import assert_no_key
from support.synthflow_fake import (
    AGENT_ID,
    API_KEY,
    CASE_ID,
    SEED_REQUEST,
    SEED_RESPONSE,
    SESSION_ID,
    SIMULATION_ID,
    SUITE_ID,
    FakeSynthflow,
    case_body,
    listing,
    make_client,
    ok,
    session,
    simulation,
    suite_body,
)

from agentsim.providers import errors
from agentsim.providers.synthflow import REGIONAL_BASE_URLS, SynthflowClient

EXECUTE = f"simulation_suites/{SUITE_ID}/execute"
EXECUTED = {
    "session_id": SESSION_ID,
    "suite_id": SUITE_ID,
    "suite_name": "Front desk regression",
    "total_cases": 3,
    "status": "running",
}


def start(client: SynthflowClient) -> str:
    return client.start_simulation(CASE_ID, AGENT_ID).simulation_id


# Addressing and auth ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.synthflow.ai/v2",
        REGIONAL_BASE_URLS["us"],
        REGIONAL_BASE_URLS["eu"],
        "https://api.eu.synthflow.ai/v2/",
    ],
)
def test_paths_join_under_each_regional_base(base_url: str) -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", ok(simulation()))

    make_client(fake, base_url=base_url).get_simulation(SIMULATION_ID)

    expected = base_url.rstrip("/") + f"/simulations/{SIMULATION_ID}"
    assert str(fake.requests[0].url) == expected


def test_regional_hosts_are_the_documented_ones() -> None:
    assert REGIONAL_BASE_URLS == {
        "us": "https://api.us.synthflow.ai/v2",
        "eu": "https://api.eu.synthflow.ai/v2",
    }


def test_the_api_key_is_sent_as_a_bearer_token() -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", ok(simulation()))
    make_client(fake).get_simulation(SIMULATION_ID)
    assert fake.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


def test_ids_are_quoted_as_one_path_segment() -> None:
    fake = FakeSynthflow()
    with pytest.raises(errors.ProviderNotFound):
        make_client(fake).get_simulation("../simulation_suites/x")
    assert fake.requests[0].url.raw_path.endswith(b"/simulations/..%2Fsimulation_suites%2Fx")


# Simulations -----------------------------------------------------------------------------------


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


# Suites and cases ------------------------------------------------------------------------------


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


# The envelope ----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["error", "failed", "failure", "ERROR"])
def test_a_200_with_an_error_status_is_rejected(word: str) -> None:
    body = {"status": word, "detail": {"description": "Agent not in workspace"}}
    fake = FakeSynthflow().on("POST", "simulations", httpx.Response(200, json=body))

    with pytest.raises(errors.ProviderRejected) as caught:
        start(make_client(fake))

    assert caught.value.message == "Agent not in workspace"
    assert caught.value.status_code == 200
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": "error", "message": "bad case"}, "bad case"),
        ({"status": "failed", "detail": "no such agent"}, "no such agent"),
        ({"status": "failure"}, "Synthflow answered status 'failure'"),
    ],
)
def test_the_error_status_message_comes_from_the_body(
    body: dict[str, object], message: str
) -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", httpx.Response(200, json=body))
    with pytest.raises(errors.ProviderRejected) as caught:
        make_client(fake).get_simulation(SIMULATION_ID)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("method", "path", "call"),
    [
        ("GET", f"simulations/{SIMULATION_ID}", lambda c: c.get_simulation(SIMULATION_ID)),
        ("POST", EXECUTE, lambda c: c.execute_suite(SUITE_ID, AGENT_ID)),
    ],
    ids=["enveloped", "suite-execute"],
)
def test_a_key_echoed_in_an_error_status_is_redacted(
    method: str, path: str, call: Callable[[SynthflowClient], object]
) -> None:
    body = {"status": "error", "message": f"key {API_KEY} is not allowed here"}
    fake = FakeSynthflow().on(method, path, httpx.Response(200, json=body))
    with pytest.raises(errors.ProviderRejected) as caught:
        call(make_client(fake))
    assert caught.value.message == "key [redacted] is not allowed here"
    assert_no_key(caught.value, API_KEY)


# Error classification --------------------------------------------------------------------------


def detail(status: int, message: str) -> httpx.Response:
    """An error in the regional FastAPI hosts' shape, `{detail: str}`."""
    return httpx.Response(status, json={"detail": message})


VALIDATION_ERROR = {
    "detail": [
        {
            "loc": ["body", "simulation_case_id"],
            "msg": "value is not a valid uuid",
            "type": "type_error.uuid",
        }
    ]
}


@pytest.mark.parametrize(
    ("response", "error_class", "message"),
    [
        (detail(401, "Invalid API key"), errors.ProviderAuthError, "Invalid API key"),
        (detail(403, "Key not scoped to workspace"), errors.ProviderAuthError, "not scoped to"),
        (
            httpx.Response(404, json={"error": "not_found", "message": "No route matched"}),
            errors.ProviderNotFound,
            "No route matched",
        ),
        (detail(400, "Case has no prompt"), errors.ProviderRejected, "no prompt"),
        (
            httpx.Response(422, json=VALIDATION_ERROR),
            errors.ProviderRejected,
            "simulation_case_id: value is not a valid uuid",
        ),
        (detail(429, "Too many concurrent calls"), errors.ProviderThrottled, "many concurrent"),
        (detail(500, "Internal error"), errors.ProviderUnavailable, "Internal"),
        (
            httpx.Response(502, text="<html><body>Bad Gateway</body></html>"),
            errors.ProviderUnavailable,
            "Bad Gateway",
        ),
    ],
)
def test_error_answers_are_classified(
    response: httpx.Response, error_class: type[errors.ProviderError], message: str
) -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", response)

    with pytest.raises(error_class) as caught:
        make_client(fake, attempts=1).get_simulation(SIMULATION_ID)

    error = caught.value
    assert error.provider == "synthflow"
    assert error.status_code == response.status_code
    assert error.operation == "get_simulation"
    assert message in error.message
    assert API_KEY not in f"{error} {error!r} {error.to_dict()}"


def test_a_429_without_retry_after_has_no_retry_after() -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", httpx.Response(429))
    with pytest.raises(errors.ProviderThrottled) as caught:
        make_client(fake, attempts=1).get_simulation(SIMULATION_ID)
    assert caught.value.retry_after is None


def test_a_429_with_retry_after_is_honoured() -> None:
    throttled = httpx.Response(429, headers={"Retry-After": "7"}, json={"detail": "slow down"})
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", throttled, ok(simulation()))
    sleeps: list[float] = []

    make_client(fake, sleeps=sleeps).get_simulation(SIMULATION_ID)

    assert sleeps == [7.0]


def test_a_malformed_json_body_is_unavailable() -> None:
    fake = FakeSynthflow().on(
        "GET",
        f"simulations/{SIMULATION_ID}",
        httpx.Response(
            200, text='{"status": "ok", "resp', headers={"Content-Type": "application/json"}
        ),
    )
    with pytest.raises(errors.ProviderUnavailable) as caught:
        make_client(fake, attempts=1).get_simulation(SIMULATION_ID)
    assert "malformed" in caught.value.message


def test_an_html_200_is_unavailable() -> None:
    fake = FakeSynthflow().on(
        "GET", f"simulations/{SIMULATION_ID}", httpx.Response(200, html="<html>Maintenance</html>")
    )
    with pytest.raises(errors.ProviderUnavailable) as caught:
        make_client(fake, attempts=1).get_simulation(SIMULATION_ID)
    assert "text/html" in caught.value.message


def test_a_read_timeout_is_unavailable() -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", httpx.ReadTimeout("slow"))
    with pytest.raises(errors.ProviderUnavailable) as caught:
        make_client(fake, attempts=1).get_simulation(SIMULATION_ID)
    assert caught.value.ambiguous


# Retries ---------------------------------------------------------------------------------------


def test_a_get_is_retried_after_a_5xx() -> None:
    fake = FakeSynthflow().on(
        "GET", f"simulations/{SIMULATION_ID}", httpx.Response(503), ok(simulation())
    )
    sleeps: list[float] = []

    assert make_client(fake, sleeps=sleeps).get_simulation(SIMULATION_ID).status == "completed"
    assert len(fake.requests) == 2
    assert len(sleeps) == 1


def test_get_retries_are_bounded() -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", httpx.Response(500))
    sleeps: list[float] = []

    with pytest.raises(errors.ProviderUnavailable):
        make_client(fake, attempts=3, sleeps=sleeps).get_simulation(SIMULATION_ID)

    assert len(fake.requests) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(500, json={"detail": "boom"}), httpx.ReadTimeout("slow"), httpx.Response(200)],
)
def test_start_is_not_repeated_after_an_ambiguous_failure(
    failure: httpx.Response | Exception,
) -> None:
    fake = FakeSynthflow().on("POST", "simulations", failure, ok({"simulation_id": "dup"}))

    with pytest.raises(errors.ProviderUnavailable) as caught:
        start(make_client(fake))

    assert caught.value.ambiguous
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "failure", [httpx.Response(500), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("eof")]
)
def test_execute_is_not_repeated_after_an_ambiguous_failure(
    failure: httpx.Response | Exception,
) -> None:
    fake = FakeSynthflow().on("POST", EXECUTE, failure, httpx.Response(200, json=EXECUTED))

    with pytest.raises(errors.ProviderUnavailable) as caught:
        make_client(fake).execute_suite(SUITE_ID, AGENT_ID)

    assert caught.value.ambiguous
    assert len(fake.requests) == 1


def test_start_is_retried_after_a_429() -> None:
    fake = FakeSynthflow().on(
        "POST", "simulations", httpx.Response(429), httpx.Response(200, json=SEED_RESPONSE)
    )
    sleeps: list[float] = []

    assert start(make_client(fake, sleeps=sleeps)) == SIMULATION_ID
    assert len(fake.requests) == 2
    assert len(sleeps) == 1


def test_start_is_retried_after_a_connection_failure() -> None:
    fake = FakeSynthflow().on(
        "POST",
        "simulations",
        httpx.ConnectError("refused"),
        httpx.Response(200, json=SEED_RESPONSE),
    )
    assert start(make_client(fake)) == SIMULATION_ID
    assert len(fake.requests) == 2


def test_execute_is_retried_after_a_429() -> None:
    fake = FakeSynthflow().on(
        "POST", EXECUTE, httpx.Response(429), httpx.Response(200, json=EXECUTED)
    )
    assert make_client(fake).execute_suite(SUITE_ID, AGENT_ID).session_id == SESSION_ID
    assert len(fake.requests) == 2


def test_throttling_retries_are_bounded_for_starts() -> None:
    fake = FakeSynthflow().on("POST", "simulations", httpx.Response(429))
    with pytest.raises(errors.ProviderThrottled):
        start(make_client(fake, attempts=3))
    assert len(fake.requests) == 3


def test_a_rejection_is_never_retried() -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", httpx.Response(400))
    with pytest.raises(errors.ProviderRejected):
        make_client(fake).get_simulation(SIMULATION_ID)
    assert len(fake.requests) == 1


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


def test_a_blank_id_is_refused_naming_the_field_before_any_call() -> None:
    fake = FakeSynthflow()
    client = make_client(fake)

    with pytest.raises(errors.ProviderRejected, match="simulation_id: an id is required"):
        client.get_simulation("  ")

    assert fake.requests == []
