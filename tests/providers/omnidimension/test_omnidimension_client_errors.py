"""OmniDimension's own faults: its error wording, refusals, and which calls are (not) retried.

How each HTTP fault maps to its error class without the key, and which retries are safe, is in
../test_client_faults_and_retries.py (Bluejay and OmniDimension alike).
"""

from __future__ import annotations

import httpx
import pytest
from support.omni_fake import (
    API_KEY,
    SEED_CREATE_REQUEST,
    SEED_GET_RESPONSE,
    STOP_RESPONSE,
    FakeOmni,
    make_client,
    ok,
)
from support.scripted_clients import assert_no_key

from agentsim.providers.errors import ProviderError, ProviderRejected
from agentsim.providers.omnidimension import SimulationSpec, omnidimension_message

GET = "/simulations/456"
SPEC = SimulationSpec.model_validate(SEED_CREATE_REQUEST)


def fail_get(answer: httpx.Response | Exception, attempts: int = 1) -> ProviderError:
    fake = FakeOmni().on("GET", GET, answer)
    with pytest.raises(ProviderError) as caught:
        make_client(fake, attempts=attempts).get_simulation(456)
    return caught.value


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


def test_a_key_echoed_in_a_success_false_refusal_is_redacted() -> None:
    refusal = {"success": False, "message": f"key {API_KEY} may not stop this"}
    fake = FakeOmni().on("POST", "/simulations/456/stop", ok(refusal))
    with pytest.raises(ProviderRejected) as caught:
        make_client(fake).stop_simulation(456)
    assert "[redacted]" in caught.value.message
    assert_no_key(caught.value, API_KEY)


# Retries -------------------------------------------------------------------------------------


def test_a_read_is_retried_after_an_html_gateway_page() -> None:
    fake = FakeOmni().on(
        "GET", GET, httpx.Response(502, html="<h1>502</h1>"), ok(SEED_GET_RESPONSE)
    )
    make_client(fake).get_simulation(456)
    assert len(fake.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_faults_are_never_retried(status: int) -> None:
    fake = FakeOmni().on("GET", GET, httpx.Response(status, json={"error": "no"}))
    with pytest.raises(ProviderError):
        make_client(fake).get_simulation(456)
    assert len(fake.requests) == 1


def test_stop_is_retried_after_a_5xx_because_stopping_twice_changes_nothing() -> None:
    fake = FakeOmni().on("POST", "/simulations/456/stop", httpx.Response(503), ok(STOP_RESPONSE))
    assert make_client(fake).stop_simulation(456).success is True
    assert len(fake.requests) == 2
