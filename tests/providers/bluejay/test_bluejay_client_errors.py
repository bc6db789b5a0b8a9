"""Bluejay faults: each maps to the right error class, never leaks the key, retries are safe."""

from __future__ import annotations

import httpx
import pytest
from bluejay_fake import API_KEY, QUEUE_RESPONSE, FakeBluejay, make_client, ok, run_results

from agentsim.providers.bluejay import SimulationSpec
from agentsim.providers.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderNotFound,
    ProviderRejected,
    ProviderThrottled,
    ProviderUnavailable,
)

RESULTS = "/v1/retrieve-simulation-results/789"
QUEUE = "/v1/queue-simulation-run"


def fail_get(answer: httpx.Response | Exception, attempts: int = 1) -> ProviderError:
    fake = FakeBluejay().on("GET", RESULTS, answer)
    with pytest.raises(ProviderError) as caught:
        make_client(fake, attempts=attempts).retrieve_simulation_results("789")
    return caught.value


def assert_no_key(error: ProviderError) -> None:
    for text in (
        str(error),
        error.message,
        repr(error.detail),
        repr(error.args),
        str(error.to_dict()),
    ):
        assert API_KEY not in text


@pytest.mark.parametrize(
    ("answer", "error_class", "status", "message"),
    [
        (httpx.Response(401, json={"detail": "Invalid API key"}), ProviderAuthError, 401,
         "Invalid API key"),
        (httpx.Response(403, json={"detail": "Forbidden"}), ProviderAuthError, 403, "Forbidden"),
        (httpx.Response(404, json={"detail": "Simulation run not found"}), ProviderNotFound, 404,
         "Simulation run not found"),
        (httpx.Response(400, json={"detail": "bad request"}), ProviderRejected, 400, "bad request"),
        (httpx.Response(429, json={"detail": "Too many requests"}), ProviderThrottled, 429,
         "Too many requests"),
        (httpx.Response(500, json={"detail": "Internal Server Error"}), ProviderUnavailable, 500,
         "Internal Server Error"),
        (httpx.Response(503, text="upstream unavailable"), ProviderUnavailable, 503,
         "upstream unavailable"),
        (httpx.Response(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"),
         ProviderUnavailable, 502, "502 Bad Gateway"),
        (httpx.Response(200, html="<html><body>Login</body></html>"), ProviderUnavailable, 200,
         "malformed body (text/html)"),
        (httpx.Response(200, text='{"simulation_run": {'), ProviderUnavailable, 200,
         "malformed body"),
    ],
    ids=["401", "403", "404", "400", "429", "500", "503-text", "502-html", "200-html",
         "200-bad-json"],
)  # fmt: skip
def test_each_http_fault_maps_to_its_class_with_status_and_message(
    answer: httpx.Response, error_class: type[ProviderError], status: int, message: str
) -> None:
    error = fail_get(answer)
    assert type(error) is error_class
    assert (error.provider, error.status_code, error.operation) == (
        "bluejay",
        status,
        "retrieve_simulation_results",
    )
    assert message in error.message
    assert_no_key(error)


def test_a_fastapi_validation_error_names_the_field_and_its_problem() -> None:
    body = {
        "detail": [
            {"loc": ["body", "agent_id"], "msg": "Input should be a valid string",
             "type": "string_type"},
            {"loc": ["body", "max_concurrent"], "msg": "Input should be less than or equal to 500",
             "type": "less_than_equal"},
        ]
    }  # fmt: skip
    fake = FakeBluejay().on("POST", "/v1/create-simulation", httpx.Response(422, json=body))
    with pytest.raises(ProviderRejected) as caught:
        make_client(fake).create_simulation(SimulationSpec(agent_id="12"))
    assert caught.value.status_code == 422
    assert caught.value.message == (
        "agent_id: Input should be a valid string; "
        "max_concurrent: Input should be less than or equal to 500"
    )
    assert len(fake.requests) == 1


def test_a_timeout_on_a_read_is_unavailable_without_the_key() -> None:
    error = fail_get(httpx.ReadTimeout("timed out"))
    assert isinstance(error, ProviderUnavailable)
    assert error.provider == "bluejay"
    assert "timed out" in error.message
    assert_no_key(error)


def test_a_key_echoed_back_by_bluejay_is_redacted() -> None:
    error = fail_get(httpx.Response(401, json={"detail": f"API key {API_KEY} is revoked"}))
    assert isinstance(error, ProviderAuthError)
    assert "[redacted] is revoked" in error.message
    assert_no_key(error)


def test_a_key_echoed_in_an_html_error_page_is_redacted() -> None:
    error = fail_get(httpx.Response(500, html=f"<p>bad key {API_KEY}</p>"))
    assert_no_key(error)


# Retries -------------------------------------------------------------------------------------


def test_a_read_is_retried_after_a_5xx_and_succeeds() -> None:
    fake = FakeBluejay().on(
        "GET", RESULTS, httpx.Response(502), httpx.Response(500), ok(run_results("RUNNING"))
    )
    answer = make_client(fake).retrieve_simulation_results("789")
    assert answer.simulation_run.status == "RUNNING"
    assert len(fake.requests) == 3


def test_a_read_is_retried_after_a_timeout() -> None:
    fake = FakeBluejay().on("GET", RESULTS, httpx.ReadTimeout("slow"), ok(run_results("RUNNING")))
    make_client(fake).retrieve_simulation_results("789")
    assert len(fake.requests) == 2


def test_retries_are_bounded_by_the_policy() -> None:
    fake = FakeBluejay().on("GET", RESULTS, httpx.Response(503))
    with pytest.raises(ProviderUnavailable):
        make_client(fake, attempts=3).retrieve_simulation_results("789")
    assert len(fake.requests) == 3


def test_auth_and_validation_faults_are_never_retried() -> None:
    fake = FakeBluejay().on("GET", RESULTS, httpx.Response(401, json={"detail": "no"}))
    with pytest.raises(ProviderAuthError):
        make_client(fake).retrieve_simulation_results("789")
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [httpx.ReadTimeout("slow"), httpx.Response(500), httpx.Response(200, text="<html>")],
    ids=["read-timeout", "5xx", "malformed-2xx"],
)
def test_queue_is_not_repeated_after_an_ambiguous_fault(answer: httpx.Response | Exception) -> None:
    # Given Bluejay may have queued the paid run before failing to answer
    fake = FakeBluejay().on("POST", QUEUE, answer, ok(QUEUE_RESPONSE))
    # When we queue
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).queue_simulation_run(123)
    # Then it was sent once and the error says the outcome is unknown
    assert len(fake.requests) == 1
    assert caught.value.ambiguous is True


def test_queue_is_retried_after_a_429() -> None:
    fake = FakeBluejay().on("POST", QUEUE, httpx.Response(429), ok(QUEUE_RESPONSE))
    assert make_client(fake).queue_simulation_run(123).simulation_run_id == "789"
    assert len(fake.requests) == 2


def test_queue_is_retried_after_a_connection_error() -> None:
    fake = FakeBluejay().on("POST", QUEUE, httpx.ConnectError("refused"), ok(QUEUE_RESPONSE))
    assert make_client(fake).queue_simulation_run(123).simulation_run_id == "789"
    assert len(fake.requests) == 2


def test_create_is_not_repeated_after_a_5xx() -> None:
    fake = FakeBluejay().on("POST", "/v1/create-simulation", httpx.Response(504))
    with pytest.raises(ProviderUnavailable):
        make_client(fake).create_simulation(SimulationSpec(agent_id="12"))
    assert len(fake.requests) == 1


def test_retry_after_is_honoured() -> None:
    sleeps: list[float] = []
    fake = FakeBluejay().on(
        "GET", RESULTS, httpx.Response(429, headers={"Retry-After": "2"}), ok(run_results(None))
    )
    make_client(fake, sleeps=sleeps).retrieve_simulation_results("789")
    assert sleeps == [2.0]


def test_a_429_without_retry_after_backs_off_within_the_policy() -> None:
    sleeps: list[float] = []
    fake = FakeBluejay().on("GET", RESULTS, httpx.Response(429), ok(run_results(None)))
    make_client(fake, sleeps=sleeps).retrieve_simulation_results("789")
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 0.05


def test_a_throttle_outlasting_every_attempt_surfaces_with_its_retry_after() -> None:
    fake = FakeBluejay().on("GET", RESULTS, httpx.Response(429, headers={"Retry-After": "1"}))
    with pytest.raises(ProviderThrottled) as caught:
        make_client(fake, attempts=2).retrieve_simulation_results("789")
    assert caught.value.retry_after == 1.0
    assert len(fake.requests) == 2
