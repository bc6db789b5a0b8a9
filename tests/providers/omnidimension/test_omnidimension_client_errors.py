"""OmniDimension faults: each maps to its error class, never leaks the key, retries are safe."""

from __future__ import annotations

import httpx
import pytest
from omni_fake import (
    API_KEY,
    NO_PERMISSION,
    SEED_CREATE_REQUEST,
    SEED_CREATE_RESPONSE,
    SEED_GET_RESPONSE,
    START_RESPONSE,
    STOP_RESPONSE,
    VOICE_NOT_FOUND,
    FakeOmni,
    make_client,
    ok,
)

from agentsim.providers.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderNotFound,
    ProviderRejected,
    ProviderThrottled,
    ProviderUnavailable,
)
from agentsim.providers.omnidimension import SimulationSpec, omnidimension_message

GET = "/simulations/456"
START = "/simulations/456/start"
SPEC = SimulationSpec.model_validate(SEED_CREATE_REQUEST)


def fail_get(answer: httpx.Response | Exception, attempts: int = 1) -> ProviderError:
    fake = FakeOmni().on("GET", GET, answer)
    with pytest.raises(ProviderError) as caught:
        make_client(fake, attempts=attempts).get_simulation(456)
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
        (httpx.Response(401, json={"error": "unauthorized",
                                   "error_description": "Invalid or missing API key"}),
         ProviderAuthError, 401, "Invalid or missing API key"),
        (httpx.Response(403, json=NO_PERMISSION), ProviderAuthError, 403,
         "You do not have permission to make changes to Call Simulation"),
        (httpx.Response(404, json={"error": "Simulation not found"}), ProviderNotFound, 404,
         "Simulation not found"),
        (httpx.Response(404, json=VOICE_NOT_FOUND), ProviderNotFound, 404, "Voice not found"),
        (httpx.Response(400, json={"error": "invalid_request",
                                   "error_description": "agent_id: Input should be an integer"}),
         ProviderRejected, 400, "agent_id: Input should be an integer"),
        (httpx.Response(422, json={"detail": [{"loc": ["body", "agent_id"],
                                               "msg": "Input should be a valid integer"}]}),
         ProviderRejected, 422, "agent_id: Input should be a valid integer"),
        (httpx.Response(409, json={"message": "Simulation is in progress"}), ProviderRejected,
         409, "Simulation is in progress"),
        (httpx.Response(429, json={"error": "rate_limited",
                                   "error_description": "Too Many Requests"}),
         ProviderThrottled, 429, "Too Many Requests"),
        (httpx.Response(500, json={"error": "server_error"}), ProviderUnavailable, 500,
         "server_error"),
        (httpx.Response(503, text="upstream unavailable"), ProviderUnavailable, 503,
         "upstream unavailable"),
        (httpx.Response(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"),
         ProviderUnavailable, 502, "502 Bad Gateway"),
        (httpx.Response(200, html="<html><body>Login</body></html>"), ProviderUnavailable, 200,
         "malformed body (text/html)"),
        (httpx.Response(200, text='{"success": true, "simulation": {"id": '),
         ProviderUnavailable, 200, "malformed body"),
    ],
    ids=["401", "403", "404", "404-voice", "400", "422", "409", "429", "500", "503-text",
         "502-html", "200-html", "200-bad-json"],
)  # fmt: skip
def test_each_http_fault_maps_to_its_class_with_status_and_message(
    answer: httpx.Response, error_class: type[ProviderError], status: int, message: str
) -> None:
    error = fail_get(answer)
    assert type(error) is error_class
    assert (error.provider, error.status_code, error.operation) == (
        "omnidimension",
        status,
        "get_simulation",
    )
    assert message in error.message
    assert_no_key(error)


def test_the_error_description_wins_over_the_error_slug() -> None:
    body = {"error": "invalid_state", "error_description": "Only completed simulations"}
    assert omnidimension_message(body) == "Only completed simulations"


def test_the_error_slug_is_the_message_when_there_is_no_description() -> None:
    assert omnidimension_message({"error": "Simulation not found", "error_description": ""}) == (
        "Simulation not found"
    )


def test_a_rejection_keeps_the_error_body_as_detail() -> None:
    body = {"error": "invalid_request", "error_description": "Scenario 9 not found"}
    error = fail_get(httpx.Response(400, json=body))
    assert error.detail == body


def test_a_timeout_on_a_read_is_unavailable_without_the_key() -> None:
    error = fail_get(httpx.ReadTimeout("timed out"))
    assert isinstance(error, ProviderUnavailable)
    assert error.provider == "omnidimension"
    assert "timed out" in error.message
    assert_no_key(error)


def test_a_key_echoed_back_in_an_error_body_is_redacted() -> None:
    body = {"error": "unauthorized", "error_description": f"API key {API_KEY} is revoked"}
    error = fail_get(httpx.Response(401, json=body))
    assert isinstance(error, ProviderAuthError)
    assert "[redacted] is revoked" in error.message
    assert_no_key(error)


def test_a_key_echoed_in_an_html_error_page_is_redacted() -> None:
    assert_no_key(fail_get(httpx.Response(500, html=f"<p>bad key {API_KEY}</p>")))


def test_a_key_echoed_in_a_success_false_refusal_is_redacted() -> None:
    refusal = {"success": False, "message": f"key {API_KEY} may not stop this"}
    fake = FakeOmni().on("POST", "/simulations/456/stop", ok(refusal))
    with pytest.raises(ProviderRejected) as caught:
        make_client(fake).stop_simulation(456)
    assert "[redacted]" in caught.value.message
    assert_no_key(caught.value)


# Retries -------------------------------------------------------------------------------------


def test_a_read_is_retried_after_a_5xx_and_succeeds() -> None:
    fake = FakeOmni().on(
        "GET", GET, httpx.Response(502), httpx.Response(500), ok(SEED_GET_RESPONSE)
    )
    assert make_client(fake).get_simulation(456).status == "Draft"
    assert len(fake.requests) == 3


def test_a_read_is_retried_after_a_timeout() -> None:
    fake = FakeOmni().on("GET", GET, httpx.ReadTimeout("slow"), ok(SEED_GET_RESPONSE))
    make_client(fake).get_simulation(456)
    assert len(fake.requests) == 2


def test_a_read_is_retried_after_an_html_gateway_page() -> None:
    fake = FakeOmni().on(
        "GET", GET, httpx.Response(502, html="<h1>502</h1>"), ok(SEED_GET_RESPONSE)
    )
    make_client(fake).get_simulation(456)
    assert len(fake.requests) == 2


def test_retries_are_bounded_by_the_policy() -> None:
    fake = FakeOmni().on("GET", GET, httpx.Response(503))
    with pytest.raises(ProviderUnavailable):
        make_client(fake, attempts=3).get_simulation(456)
    assert len(fake.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_faults_are_never_retried(status: int) -> None:
    fake = FakeOmni().on("GET", GET, httpx.Response(status, json={"error": "no"}))
    with pytest.raises(ProviderError):
        make_client(fake).get_simulation(456)
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [httpx.ReadTimeout("slow"), httpx.Response(500), httpx.Response(200, text="<html>")],
    ids=["read-timeout", "5xx", "malformed-2xx"],
)
def test_start_is_not_repeated_after_an_ambiguous_fault(answer: httpx.Response | Exception) -> None:
    # Given OmniDimension may have started the paid run before failing to answer
    fake = FakeOmni().on("POST", START, answer, ok(START_RESPONSE))
    # When we start
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).start_simulation(456)
    # Then it was sent once and the error says the outcome is unknown
    assert len(fake.requests) == 1
    assert caught.value.ambiguous is True


@pytest.mark.parametrize(
    "answer",
    [httpx.ReadTimeout("slow"), httpx.Response(504), httpx.Response(200, text="{")],
    ids=["read-timeout", "5xx", "malformed-2xx"],
)
def test_create_is_not_repeated_after_an_ambiguous_fault(
    answer: httpx.Response | Exception,
) -> None:
    fake = FakeOmni().on("POST", "/simulations", answer, ok(SEED_CREATE_RESPONSE))
    with pytest.raises(ProviderUnavailable) as caught:
        make_client(fake).create_simulation(SPEC)
    assert len(fake.requests) == 1
    assert caught.value.ambiguous is True


def test_start_is_retried_after_a_429() -> None:
    fake = FakeOmni().on("POST", START, httpx.Response(429), ok(START_RESPONSE))
    assert make_client(fake).start_simulation(456).success is True
    assert len(fake.requests) == 2


def test_start_is_retried_after_a_connection_error() -> None:
    fake = FakeOmni().on("POST", START, httpx.ConnectError("refused"), ok(START_RESPONSE))
    assert make_client(fake).start_simulation(456).success is True
    assert len(fake.requests) == 2


def test_stop_is_retried_after_a_5xx_because_stopping_twice_changes_nothing() -> None:
    fake = FakeOmni().on("POST", "/simulations/456/stop", httpx.Response(503), ok(STOP_RESPONSE))
    assert make_client(fake).stop_simulation(456).success is True
    assert len(fake.requests) == 2


def test_retry_after_is_honoured() -> None:
    sleeps: list[float] = []
    fake = FakeOmni().on(
        "GET", GET, httpx.Response(429, headers={"Retry-After": "2"}), ok(SEED_GET_RESPONSE)
    )
    make_client(fake, sleeps=sleeps).get_simulation(456)
    assert sleeps == [2.0]


def test_a_429_without_retry_after_backs_off_within_the_policy() -> None:
    sleeps: list[float] = []
    fake = FakeOmni().on("GET", GET, httpx.Response(429), ok(SEED_GET_RESPONSE))
    make_client(fake, sleeps=sleeps).get_simulation(456)
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 0.05


def test_a_throttle_outlasting_every_attempt_surfaces_with_its_retry_after() -> None:
    fake = FakeOmni().on("GET", GET, httpx.Response(429, headers={"Retry-After": "1"}))
    with pytest.raises(ProviderThrottled) as caught:
        make_client(fake, attempts=2).get_simulation(456)
    assert caught.value.retry_after == 1.0
    assert len(fake.requests) == 2
