"""A warm poll: no read of the run record, one conditional write that returns nothing.

What polling needs of a launched run never changes (`RunRepository.launched`), so the repository
remembers it; the write's condition is what notices a run that ended meanwhile.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.run_requests import bluejay_request

from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RunAlreadyFinished, RunNotLaunched
from agentsim.runs.poll import poll
from agentsim.runs.record import RunStatus, Trigger
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.submit import submit
from agentsim.runs.wiring import build_services

RUN_ID = "run-warm"


def launched_run(services: Services) -> str:
    submit(services, RUN_ID, parse_request(bluejay_request()), Trigger.WEBHOOK)
    start(services, RUN_ID)
    return RUN_ID


def dynamodb_calls(services: Services) -> list[str]:
    """The DynamoDB operations `services.repository` sends from now on (botocore's events)."""
    seen: list[str] = []

    def record(model: Any, **_: Any) -> None:
        seen.append(model.name)

    services.repository.client.meta.events.register("before-call.dynamodb", record)
    return seen


def test_the_first_poll_reads_the_run_then_polls_only_write(services: Services) -> None:
    run_id = launched_run(services)
    warm = build_services(services.settings)
    calls = dynamodb_calls(warm)

    steps = [poll(warm, run_id, count) for count in range(3)]

    assert calls == ["GetItem", "UpdateItem", "UpdateItem", "UpdateItem"]
    assert [s.count for s in steps] == [1, 2, 3]
    record = services.repository.get(run_id)
    assert record.poll_count == 3
    assert record.provider_status is not None


def test_an_update_returns_nothing_and_still_refuses_a_finished_run(services: Services) -> None:
    run_id = launched_run(services)
    services.repository.change(run_id, {}, status=RunStatus.STOPPED, note="stopped by a test")

    with pytest.raises(RunAlreadyFinished) as refused:
        services.repository.update(run_id, {"progress": 50}, allowed={RunStatus.RUNNING})

    assert refused.value.record.status is RunStatus.STOPPED
    assert services.repository.get(run_id).progress == 0


def test_a_warm_poll_of_a_run_stopped_meanwhile_reports_the_stop(services: Services) -> None:
    run_id = launched_run(services)
    warm = build_services(services.settings)
    poll(warm, run_id, 0)  # remembers the launch
    services.repository.change(
        run_id, {"verdict": "NONE"}, status=RunStatus.STOPPED, note="stopped by a test"
    )

    step = poll(warm, run_id, 1)

    assert (step.terminal, step.status) == (True, "STOPPED")
    assert services.repository.get(run_id).poll_count == 1


def test_a_finished_or_unlaunched_run_is_never_remembered(services: Services) -> None:
    submit(services, "run-pending", parse_request(bluejay_request()), Trigger.WEBHOOK)
    with pytest.raises(RunNotLaunched):
        services.repository.launched("run-pending")

    run_id = launched_run(services)
    services.repository.change(run_id, {}, status=RunStatus.STOPPED, note="stopped by a test")
    calls = dynamodb_calls(services)
    for _ in range(2):
        with pytest.raises(RunAlreadyFinished):
            services.repository.launched(run_id)

    assert calls == ["GetItem", "GetItem"]
