"""The workflow's launch and poll loop on moto and the provider emulator (no Step Functions): a
run completes with its verdict, the provider is launched once however often Start is retried,
and a late poll or a repeated Finish changes nothing."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest
from support.aws_fixtures import API_KEYS, Stack
from support.run_requests import (
    SYNTHFLOW_ERROR_CASE,
    SYNTHFLOW_FAILING_CASE,
    bluejay_request,
    launches,
    synthflow_request,
)
from support.waiting import wait_until
from support.workflow_steps import poll_until_terminal, submitted

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.providers.errors import ProviderUnavailable
from agentsim.runs.errors import RunNotLaunched
from agentsim.runs.finish import finish
from agentsim.runs.poll import poll
from agentsim.runs.record import RunStatus, Verdict
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.stop import stop


def test_bluejay_run_completes_with_its_cases_stored_apart(
    services: Services, emulator: Any
) -> None:
    run_id = submitted(services, bluejay_request())

    first = start(services, run_id)
    last = poll_until_terminal(services, run_id, first)
    record = finish(services, run_id)

    assert first.status == "RUNNING" and last.terminal
    assert record.status is RunStatus.COMPLETED
    # the emulator's three digital humans: one is "[emulator:fail]"; 2/3 clears the 0.6 gate
    assert record.results is not None
    assert (record.results.total, record.results.passed, record.results.failed) == (3, 2, 1)
    assert record.verdict is Verdict.PASSED
    assert len(services.items.cases(run_id)) == 3
    statuses = [h["status"] for h in services.items.history(run_id)]
    assert statuses == ["PENDING", "RUNNING", "COMPLETED"]


def test_gate_below_the_pass_rate_completes_with_a_failed_verdict(services: Services) -> None:
    run_id = submitted(services, bluejay_request(gate={"min_pass_rate": 0.9}))

    poll_until_terminal(services, run_id, start(services, run_id))
    record = finish(services, run_id)

    assert (record.status, record.verdict) == (RunStatus.COMPLETED, Verdict.FAILED)


def test_synthflow_failing_case_gives_a_failed_verdict(services: Services) -> None:
    run_id = submitted(services, synthflow_request(SYNTHFLOW_FAILING_CASE))

    poll_until_terminal(services, run_id, start(services, run_id))
    record = finish(services, run_id)

    assert (record.status, record.verdict) == (RunStatus.COMPLETED, Verdict.FAILED)


def test_start_twice_launches_the_provider_once(services: Services, emulator: Any) -> None:
    run_id = submitted(services, bluejay_request())

    first = start(services, run_id)
    second = start(services, run_id)

    assert len(launches(emulator, "bluejay")) == 1
    assert first.status == second.status == "RUNNING"
    assert services.runs.get(run_id).provider_run_id is not None


def test_start_after_a_lost_launch_answer_finds_the_run_instead_of_launching_again(
    services: Services, stack: Stack, emulator: Any
) -> None:
    # Given a launch the provider processes but answers too late for the client
    def impatient(name: ProviderName) -> SimulationProvider:
        return create_provider(
            name, API_KEYS[name.value], base_url=stack.base_urls[name.value], timeout=0.5
        )

    hurried = replace(services, providers=impatient)
    run_id = submitted(services, bluejay_request())
    emulator.faults.add(
        provider="bluejay", kind="slow", delay=1.5, path_contains="queue-simulation-run", times=1
    )
    with pytest.raises(ProviderUnavailable) as lost:
        start(hurried, run_id)
    assert lost.value.ambiguous

    # When Step Functions retries the step
    time.sleep(1.2)
    step = start(hurried, run_id)

    # Then the run the provider started is adopted: one paid launch in all
    assert step.status == "RUNNING"
    assert len(launches(emulator, "bluejay")) == 1
    assert services.runs.get(run_id).launch_attempted_at is not None


def test_late_poll_cannot_overwrite_a_stopped_run(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    step = start(services, run_id)
    stop(services, run_id)

    late = poll(services, run_id, step.count)

    record = services.runs.get(run_id)
    assert late.terminal and late.status == "STOPPED"
    assert record.status is RunStatus.STOPPED
    assert record.poll_count == 0


def test_a_run_woken_before_a_poll_saw_its_end_is_finished_with_the_providers_end_state(
    services: Services,
) -> None:
    # A callback wakes the wait into Finish when the results are in; the last poll saw RUNNING.
    run_id = submitted(services, synthflow_request(SYNTHFLOW_ERROR_CASE))
    assert start(services, run_id).status == "RUNNING"
    handle = services.runs.get(run_id).expect_handle()
    with services.providers(ProviderName.SYNTHFLOW) as provider:
        wait_until(lambda: provider.poll(handle).status, lambda status: status.terminal)

    record = finish(services, run_id)

    assert record.status is RunStatus.FAILED
    assert record.error is not None
    assert record.error.message == "The call was disconnected before completion"


def test_finish_is_idempotent(services: Services) -> None:
    run_id = submitted(services, bluejay_request())
    poll_until_terminal(services, run_id, start(services, run_id))
    first = finish(services, run_id)

    again = finish(services, run_id)

    assert again == first
    assert len(services.items.cases(run_id)) == 3


def test_poll_before_launch_is_an_error_not_a_loop(services: Services) -> None:
    run_id = submitted(services, bluejay_request())

    with pytest.raises(RunNotLaunched):
        poll(services, run_id, 0)
