"""agentsim end to end, what the stack makes of the requests it is sent: an invalid one is
refused or recorded failed naming the field, an unsigned one starts nothing, and repeated or
concurrent deliveries of one webhook start one run, launched once.

Each test starts fresh runs (unique labels) on the session's stack; faults and emulated
durations are reset around each test (`e2e` fixture in conftest.py).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
from e2e_requests import bluejay, executions_named, launches, post_signed, synthflow

from agentsim_local.embedded import EmbeddedStack

# -- bad input -----------------------------------------------------------------------------------


def test_invalid_scheduled_request_is_recorded_failed_naming_the_field(
    e2e: EmbeddedStack,
) -> None:
    request = synthflow()
    del request["simulation"]["target_agent_id"]

    run_id = e2e.submit(request, trigger="schedule")

    record = e2e.wait(run_id, timeout=60)  # the Scheduler fires it on its next sweep
    assert record["status"] == "FAILED"
    assert record["trigger"] == "schedule"
    assert record["error"]["type"] == "RequestInvalid"
    assert "simulation.target_agent_id" in [p["path"] for p in record["error"]["problems"]]
    assert executions_named(e2e, run_id) == []


def test_invalid_webhook_is_refused_naming_the_field(e2e: EmbeddedStack) -> None:
    request = bluejay()
    del request["simulation"]["agent_id"]

    response = post_signed(e2e, "/simulations", request)

    assert response.status == 422
    assert "simulation.agent_id" in [e["path"] for e in response.json["errors"]]


def test_unsigned_webhook_is_refused_and_starts_nothing(e2e: EmbeddedStack) -> None:
    before = len(e2e.executions())

    response = e2e.invoke_api("POST", "/simulations", body=synthflow())

    assert response.status == 401
    assert len(e2e.executions()) == before


# -- duplicates ----------------------------------------------------------------------------------


def test_repeated_webhook_with_one_idempotency_key_starts_one_run(
    e2e: EmbeddedStack, emulator_control: httpx.Client
) -> None:
    since = time.time()
    request = bluejay(gate={"min_pass_rate": 0.6})
    key = f"deploy-{request['labels']['test']}"

    first = e2e.submit(request, idempotency_key=key)
    second = e2e.submit(request, idempotency_key=key)
    e2e.wait(first, timeout=60)
    third = e2e.submit(request, idempotency_key=key)  # after the run finished, too

    assert first == second == third
    assert len(executions_named(e2e, first)) == 1
    assert len(launches(emulator_control, "bluejay", since)) == 1


def test_concurrent_duplicate_webhooks_start_one_run(
    e2e: EmbeddedStack, emulator_control: httpx.Client
) -> None:
    # Given five deliveries of one webhook at the same moment
    since = time.time()
    request = synthflow()
    key = f"concurrent-{request['labels']['test']}"
    barrier = threading.Barrier(5)
    answers: list[Any] = []

    def deliver() -> None:
        barrier.wait()
        answers.append(post_signed(e2e, "/simulations", request, key=key))

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # Then every answer names the same run, with one execution and one paid launch
    assert [a.status for a in answers] == [202] * 5
    run_ids = {a.json["run_id"] for a in answers}
    assert len(run_ids) == 1
    run_id = run_ids.pop()
    # under the template's stage (StageName: v1), as API Gateway's request path has it
    assert {a.headers["Location"] for a in answers} == {f"/v1/simulations/{run_id}"}
    assert e2e.wait(run_id, timeout=60)["status"] == "COMPLETED"
    assert len(executions_named(e2e, run_id)) == 1
    assert len(launches(emulator_control, "synthflow", since)) == 1
