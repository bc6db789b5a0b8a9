"""SynthflowClient errors: each error answer classified, and which failures are retried."""

from __future__ import annotations

import httpx
import pytest
from support.synthflow_client_calls import EXECUTE, EXECUTED, start
from support.synthflow_fake import (
    AGENT_ID,
    API_KEY,
    SEED_RESPONSE,
    SESSION_ID,
    SIMULATION_ID,
    SUITE_ID,
    FakeSynthflow,
    make_client,
    ok,
    simulation,
)

from agentsim.providers import errors

# Error classification -----------------------------------------------------------------------------


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


# Retries ------------------------------------------------------------------------------------------


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
