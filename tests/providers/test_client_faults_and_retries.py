"""Faults and retries the Bluejay and OmniDimension clients handle alike, on their scripted fakes.

Each test runs for both, on a read (Bluejay's run results, OmniDimension's simulation) or on the
paid launch (Bluejay's queue, OmniDimension's start), as their fake modules describe them.
"""

from __future__ import annotations

import httpx
import pytest
from support import bluejay_fake, omni_fake
from support.scripted_clients import ScriptedClient, ScriptedOperation, assert_no_key

from agentsim.providers.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderNotFound,
    ProviderRejected,
    ProviderThrottled,
    ProviderUnavailable,
)

BLUEJAY = bluejay_fake.SCRIPTED_CLIENT
OMNIDIMENSION = omni_fake.SCRIPTED_CLIENT


@pytest.fixture(params=[BLUEJAY, OMNIDIMENSION], ids=lambda scripted: scripted.provider)
def scripted(request: pytest.FixtureRequest) -> ScriptedClient:
    client: ScriptedClient = request.param
    return client


def fail_read(scripted: ScriptedClient, answer: httpx.Response | Exception) -> ProviderError:
    fake = scripted.script(scripted.read, answer)
    with pytest.raises(ProviderError) as caught:
        scripted.call(scripted.read, fake, attempts=1)
    return caught.value


# Errors ----------------------------------------------------------------------------------------

# An answer to the read, the error class it maps to, the status and words of the message
Fault = tuple[httpx.Response, type[ProviderError], int, str]

# Answers from a gateway or a login page in front of the API, which no provider words itself
GATEWAY_FAULTS: dict[str, Fault] = {
    "503-text": (httpx.Response(503, text="upstream unavailable"), ProviderUnavailable, 503,
                 "upstream unavailable"),
    "502-html": (httpx.Response(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"),
                 ProviderUnavailable, 502, "502 Bad Gateway"),
    "200-html": (httpx.Response(200, html="<html><body>Login</body></html>"), ProviderUnavailable,
                 200, "malformed body (text/html)"),
}  # fmt: skip

# Bluejay words every error as {"detail": message}
BLUEJAY_FAULTS: dict[str, Fault] = {
    name: (httpx.Response(status, json={"detail": message}), error_class, status, message)
    for name, (status, error_class, message) in {
        "401": (401, ProviderAuthError, "Invalid API key"),
        "403": (403, ProviderAuthError, "Forbidden"),
        "404": (404, ProviderNotFound, "Simulation run not found"),
        "400": (400, ProviderRejected, "bad request"),
        "429": (429, ProviderThrottled, "Too many requests"),
        "500": (500, ProviderUnavailable, "Internal Server Error"),
    }.items()
} | {
    "200-bad-json": (httpx.Response(200, text='{"simulation_run": {'), ProviderUnavailable, 200,
                     "malformed body"),
}  # fmt: skip

OMNIDIMENSION_FAULTS: dict[str, Fault] = {
    "401": (httpx.Response(401, json={"error": "unauthorized",
                                      "error_description": "Invalid or missing API key"}),
            ProviderAuthError, 401, "Invalid or missing API key"),
    "403": (httpx.Response(403, json=omni_fake.NO_PERMISSION), ProviderAuthError, 403,
            "You do not have permission to make changes to Call Simulation"),
    "404": (httpx.Response(404, json={"error": "Simulation not found"}), ProviderNotFound, 404,
            "Simulation not found"),
    "404-voice": (httpx.Response(404, json=omni_fake.VOICE_NOT_FOUND), ProviderNotFound, 404,
                  "Voice not found"),
    "400": (httpx.Response(400, json={"error": "invalid_request",
                                      "error_description": "agent_id: Input should be an integer"}),
            ProviderRejected, 400, "agent_id: Input should be an integer"),
    "422": (httpx.Response(422, json={"detail": [{"loc": ["body", "agent_id"],
                                                  "msg": "Input should be a valid integer"}]}),
            ProviderRejected, 422, "agent_id: Input should be a valid integer"),
    "409": (httpx.Response(409, json={"message": "Simulation is in progress"}), ProviderRejected,
            409, "Simulation is in progress"),
    "429": (httpx.Response(429, json={"error": "rate_limited",
                                      "error_description": "Too Many Requests"}),
            ProviderThrottled, 429, "Too Many Requests"),
    "500": (httpx.Response(500, json={"error": "server_error"}), ProviderUnavailable, 500,
            "server_error"),
    "200-bad-json": (httpx.Response(200, text='{"success": true, "simulation": {"id": '),
                     ProviderUnavailable, 200, "malformed body"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("scripted", "answer", "error_class", "status", "message"),
    [
        pytest.param(client, *fault, id=f"{client.provider}-{name}")
        for client, faults in [(BLUEJAY, BLUEJAY_FAULTS), (OMNIDIMENSION, OMNIDIMENSION_FAULTS)]
        for name, fault in {**faults, **GATEWAY_FAULTS}.items()
    ],
)
def test_each_http_fault_maps_to_its_class_with_status_and_message(
    scripted: ScriptedClient,
    answer: httpx.Response,
    error_class: type[ProviderError],
    status: int,
    message: str,
) -> None:
    error = fail_read(scripted, answer)
    assert type(error) is error_class
    assert (error.provider, error.status_code, error.operation) == (
        scripted.provider,
        status,
        scripted.read.name,
    )
    assert message in error.message
    assert_no_key(error, scripted.api_key)


def test_a_timeout_on_a_read_is_unavailable_without_the_key(scripted: ScriptedClient) -> None:
    error = fail_read(scripted, httpx.ReadTimeout("timed out"))
    assert isinstance(error, ProviderUnavailable)
    assert error.provider == scripted.provider
    assert "timed out" in error.message
    assert_no_key(error, scripted.api_key)


def test_a_key_echoed_back_in_an_error_body_is_redacted(scripted: ScriptedClient) -> None:
    body = scripted.error_body(f"API key {scripted.api_key} is revoked")
    error = fail_read(scripted, httpx.Response(401, json=body))
    assert isinstance(error, ProviderAuthError)
    assert "[redacted] is revoked" in error.message
    assert_no_key(error, scripted.api_key)


def test_a_key_echoed_in_an_html_error_page_is_redacted(scripted: ScriptedClient) -> None:
    error = fail_read(scripted, httpx.Response(500, html=f"<p>bad key {scripted.api_key}</p>"))
    assert_no_key(error, scripted.api_key)


# Retries ---------------------------------------------------------------------------------------


def test_a_read_is_retried_after_a_5xx_and_succeeds(scripted: ScriptedClient) -> None:
    read = scripted.read
    fake = scripted.script(read, httpx.Response(502), httpx.Response(500), read.good_answer())
    answer = scripted.call(read, fake)
    assert read.parsed(answer) == read.expected
    assert len(fake.requests) == 3


def test_a_read_is_retried_after_a_timeout(scripted: ScriptedClient) -> None:
    read = scripted.read
    fake = scripted.script(read, httpx.ReadTimeout("slow"), read.good_answer())
    scripted.call(read, fake)
    assert len(fake.requests) == 2


def test_retries_are_bounded_by_the_policy(scripted: ScriptedClient) -> None:
    fake = scripted.script(scripted.read, httpx.Response(503))
    with pytest.raises(ProviderUnavailable):
        scripted.call(scripted.read, fake, attempts=3)
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    ("scripted", "operation"),
    [
        pytest.param(client, operation, id=f"{client.provider}-{operation.name}")
        for client in [BLUEJAY, OMNIDIMENSION]
        for operation in [client.create, client.launch]
    ],
)
@pytest.mark.parametrize(
    "answer",
    [httpx.ReadTimeout("slow"), httpx.Response(504), httpx.Response(200, text="<html>")],
    ids=["read-timeout", "5xx", "malformed-2xx"],
)
def test_a_create_or_launch_is_not_repeated_after_an_ambiguous_fault(
    scripted: ScriptedClient, operation: ScriptedOperation, answer: httpx.Response | Exception
) -> None:
    # Given the provider may have created the simulation or launched the paid run before
    # failing to answer
    fake = scripted.script(operation, answer, operation.good_answer())
    # When we call it
    with pytest.raises(ProviderUnavailable) as caught:
        scripted.call(operation, fake)
    # Then it was sent once and the error says the outcome is unknown
    assert len(fake.requests) == 1
    assert caught.value.ambiguous is True


def test_the_launch_is_retried_after_a_429(scripted: ScriptedClient) -> None:
    launch = scripted.launch
    fake = scripted.script(launch, httpx.Response(429), launch.good_answer())
    assert launch.parsed(scripted.call(launch, fake)) == launch.expected
    assert len(fake.requests) == 2


def test_the_launch_is_retried_after_a_connection_error(scripted: ScriptedClient) -> None:
    launch = scripted.launch
    fake = scripted.script(launch, httpx.ConnectError("refused"), launch.good_answer())
    assert launch.parsed(scripted.call(launch, fake)) == launch.expected
    assert len(fake.requests) == 2


def test_retry_after_is_honoured(scripted: ScriptedClient) -> None:
    sleeps: list[float] = []
    throttled = httpx.Response(429, headers={"Retry-After": "2"})
    fake = scripted.script(scripted.read, throttled, scripted.read.good_answer())
    scripted.call(scripted.read, fake, sleeps=sleeps)
    assert sleeps == [2.0]


def test_a_429_without_retry_after_backs_off_within_the_policy(scripted: ScriptedClient) -> None:
    sleeps: list[float] = []
    fake = scripted.script(scripted.read, httpx.Response(429), scripted.read.good_answer())
    scripted.call(scripted.read, fake, sleeps=sleeps)
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 0.05


def test_a_throttle_outlasting_every_attempt_surfaces_with_its_retry_after(
    scripted: ScriptedClient,
) -> None:
    throttled = httpx.Response(429, headers={"Retry-After": "1"})
    fake = scripted.script(scripted.read, throttled)
    with pytest.raises(ProviderThrottled) as caught:
        scripted.call(scripted.read, fake, attempts=2)
    assert caught.value.retry_after == 1.0
    assert len(fake.requests) == 2
