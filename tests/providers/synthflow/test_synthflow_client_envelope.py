"""SynthflowClient envelope: a 200 carrying an error status is a rejection, its message redacted."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from support.scripted_clients import assert_no_key
from support.synthflow_client_calls import EXECUTE, start
from support.synthflow_fake import (
    AGENT_ID,
    API_KEY,
    SIMULATION_ID,
    SUITE_ID,
    FakeSynthflow,
    make_client,
)

from agentsim.providers import errors
from agentsim.providers.synthflow import SynthflowClient


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
