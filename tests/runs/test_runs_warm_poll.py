"""A warm poll: no read of the run record, one conditional write that returns nothing.

What polling needs of a launched run never changes (`DynamoRunStore.launched`), so the run store
remembers it; the write's condition is what notices a run that ended meanwhile.
"""

from __future__ import annotations

import pytest
from support.aws_fixtures import Stack, dynamodb_calls
from support.run_requests import bluejay_request

from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RunAlreadyFinished, RunNotLaunched
from agentsim.runs.poll import poll
from agentsim.runs.record import Change, Origin, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.submit import submit
from agentsim.runs.wiring import build_services

RUN_ID = "run-warm"
STOPPED = Change.move(RunStatus.STOPPED, note="stopped by a test", verdict="NONE")


def launched_run(services: Services) -> str:
    submit(services, RUN_ID, parse_request(bluejay_request()), Origin.WEBHOOK)
    start(services, RUN_ID)
    return RUN_ID


def test_the_first_poll_reads_the_run_then_polls_only_write(
    services: Services, stack: Stack
) -> None:
    run_id = launched_run(services)
    warm = build_services(stack.settings())
    calls = dynamodb_calls(warm)

    steps = [poll(warm, run_id, count) for count in range(3)]

    assert calls == ["GetItem", "UpdateItem", "UpdateItem", "UpdateItem"]
    assert [s.count for s in steps] == [1, 2, 3]
    record = services.runs.get(run_id)
    assert record.poll_count == 3
    assert record.provider_status is not None


def test_an_update_returns_nothing_and_still_refuses_a_finished_run(services: Services) -> None:
    run_id = launched_run(services)
    services.runs.change(run_id, STOPPED)

    with pytest.raises(RunAlreadyFinished) as refused:
        services.runs.apply(run_id, Change.within({RunStatus.RUNNING}, progress=50))

    assert refused.value.record.status is RunStatus.STOPPED
    assert services.runs.get(run_id).progress == 0


def test_a_warm_poll_of_a_run_stopped_meanwhile_reports_the_stop(
    services: Services, stack: Stack
) -> None:
    run_id = launched_run(services)
    warm = build_services(stack.settings())
    poll(warm, run_id, 0)  # remembers the launch
    services.runs.change(run_id, STOPPED)

    step = poll(warm, run_id, 1)

    assert (step.terminal, step.status) == (True, "STOPPED")
    assert services.runs.get(run_id).poll_count == 1


def test_a_finished_or_unlaunched_run_is_never_remembered(services: Services) -> None:
    submit(services, "run-pending", parse_request(bluejay_request()), Origin.WEBHOOK)
    with pytest.raises(RunNotLaunched):
        services.runs.launched("run-pending")

    run_id = launched_run(services)
    services.runs.change(run_id, STOPPED)
    calls = dynamodb_calls(services)
    for _ in range(2):
        with pytest.raises(RunAlreadyFinished):
            services.runs.launched(run_id)

    assert calls == ["GetItem", "GetItem"]
