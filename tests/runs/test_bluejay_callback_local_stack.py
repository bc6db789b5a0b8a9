"""Bluejay's webhooks wake a waiting run on the deployed stack (issue 14): the emulator sends its
signed `simulation_ended` / `simulation_result_evaluated` to the stack's `POST
/webhooks/bluejay`, and the last expected result ends the run's callback wait, which would
otherwise last the safety net (an hour). Its own stack: the secret's `bluejay_webhook_secret`
is what makes Bluejay a provider that calls back, for every run of the stack.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import boto3
import httpx
import pytest
from e2e.e2e_requests import bluejay

from agentsim.runs.pacing import CALLBACK_SAFETY_SECONDS
from agentsim_local.bench_waits import callback_path
from agentsim_local.embedded import EmbeddedStack
from agentsim_local.embedded.local_settings import CREDENTIALS
from agentsim_local.embedded.stack_secret import StackSecret
from agentsim_local.emulator import EmulatorSettings

pytestmark = pytest.mark.e2e

SIGNING_KEY = "whsec-local-" + uuid.uuid4().hex
CALL_SECONDS = 12.0
"""Long enough that the first poll (within PollMaxSeconds, 2 s here, of the launch) sees the calls
still running even when a loaded machine takes seconds to start each Lambda."""


@pytest.fixture(scope="module")
def stack() -> Iterator[EmbeddedStack]:
    settings = EmulatorSettings(queue_seconds=0.3, call_seconds=CALL_SECONDS, summary_seconds=0.5)
    with EmbeddedStack(stack_name="agentsim-callbacks", emulator_settings=settings) as deployed:
        secretsmanager = boto3.client(
            "secretsmanager",
            endpoint_url=deployed.endpoint_url,
            region_name=deployed.region,
            **CREDENTIALS,
        )
        StackSecret(secretsmanager, deployed.outputs["SecretArn"]).store_api_keys(
            {}, {"bluejay_webhook_secret": SIGNING_KEY}
        )
        assert deployed.emulator is not None
        target = {
            "bluejay_webhook_url": deployed.api_url.rstrip("/") + "/webhooks/bluejay",
            "bluejay_webhook_secret": SIGNING_KEY,
        }
        httpx.put(deployed.emulator.url + "/_emulator/settings", json=target).raise_for_status()
        yield deployed


def test_the_last_bluejay_webhook_wakes_the_run_long_before_its_safety_net_poll(
    stack: EmbeddedStack,
) -> None:
    # Given a Bluejay run on a stack that Bluejay calls back
    started = time.monotonic()
    run_id = stack.submit(bluejay(), trigger="webhook")

    # When its calls end and the emulator's webhooks reach the stack
    record = stack.wait(run_id, timeout=50)

    # Then it completed with its results, in seconds rather than the hour-long safety net,
    # through one poll and the callback wait woken straight into Finish
    assert record["status"] == "COMPLETED", record
    assert record["results"]["total"] > 0
    assert time.monotonic() - started < min(50, CALLBACK_SAFETY_SECONDS)
    assert record["poll_count"] == 1
    assert stack.transitions(run_id) == len(callback_path(0))
