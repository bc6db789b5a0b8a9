"""The state machine's task functions, invoked with the payloads the ASL sends (events/sfn_*):
a run from Register to Finish, one paid launch however often Start runs, provider errors
raised under their class names, conditional writes that late steps cannot break."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from support.aws_fixtures import Stack
from support.handlers import (
    LambdaContext,
    answer,
    emitted_metrics,
    load_handler,
    metric_total,
    resign,
    sample_event,
)
from support.run_requests import bluejay_request, launches, synthflow_suite_request

from agentsim.providers.errors import ProviderAuthError, ProviderThrottled, ProviderUnavailable
from agentsim.runs.envelope import parse_request
from agentsim.runs.record import Origin, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.submit import submit

TASKS = ("register", "start", "poll", "finish", "time_out", "fail")


@pytest.fixture
def tasks(stack: Stack) -> dict[str, Any]:
    return {name: load_handler(name) for name in TASKS}


def invoke(tasks: dict[str, Any], name: str, run_id: str, **fields: Any) -> dict[str, Any]:
    event = {**sample_event(f"sfn_{name}.json"), "run_id": run_id, **fields}
    result: dict[str, Any] = tasks[name].lambda_handler(event, LambdaContext())
    return result


def registered(services: Services, tasks: dict[str, Any], request: dict[str, Any]) -> str:
    run_id = "run-1"
    submit(services, run_id, parse_request(request), Origin.WEBHOOK)
    now = datetime.now(UTC).isoformat()
    answer = invoke(tasks, "register", run_id, input={"run_id": run_id}, started_at=now)
    assert answer == {"run_id": run_id, "provider": request["provider"], "max_polls": 50}
    return run_id


def test_a_task_that_counts_nothing_publishes_no_metrics_and_warns_nothing(
    services: Services,
    tasks: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    recwarn: pytest.WarningsRecorder,
) -> None:
    registered(services, tasks, bluejay_request())

    assert emitted_metrics(capsys.readouterr().out) == []
    assert [str(w.message) for w in recwarn] == []


def test_run_goes_from_register_to_finish(
    services: Services, tasks: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = registered(services, tasks, synthflow_suite_request(gate={"min_pass_rate": 0.5}))

    step = invoke(tasks, "start", run_id)
    assert step["count"] == 0 and 1 <= step["wait_seconds"] <= 5
    deadline = time.monotonic() + 20
    while not step["terminal"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
        step = invoke(tasks, "poll", run_id, poll_count=step["count"])
    detail = invoke(tasks, "finish", run_id)

    # the seeded suite: one case passes, one fails, one ends in an execution error
    assert detail["status"] == "COMPLETED"
    assert detail["results"]["total"] == 3
    assert detail["verdict"] in {"PASSED", "FAILED"}
    assert len(services.items.cases(run_id)) == 3
    out = capsys.readouterr().out
    assert metric_total(out, "Polls") == step["count"]
    assert metric_total(out, "RunsFinished", status="COMPLETED") == 1


def test_start_called_twice_launches_once(
    services: Services, tasks: dict[str, Any], emulator: Any
) -> None:
    run_id = registered(services, tasks, bluejay_request())

    first = invoke(tasks, "start", run_id)
    second = invoke(tasks, "start", run_id)

    assert first["status"] == second["status"] == "RUNNING"
    assert len(launches(emulator, "bluejay")) == 1


def test_provider_refusing_the_key_raises_provider_auth_error(
    services: Services, tasks: dict[str, Any], emulator: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.configure(api_keys={"bluejay": "only-this-key-works"})
    run_id = registered(services, tasks, bluejay_request())

    with pytest.raises(ProviderAuthError):
        invoke(tasks, "start", run_id)

    assert metric_total(capsys.readouterr().out, "ProviderErrors", error="ProviderAuthError") == 1


def test_throttled_provider_raises_provider_throttled_for_the_state_machine_to_retry(
    services: Services, tasks: dict[str, Any], emulator: Any
) -> None:
    run_id = registered(services, tasks, bluejay_request())
    emulator.faults.add(provider="bluejay", kind="429-retry-after", retry_after=0, times=10)

    with pytest.raises(ProviderThrottled):
        invoke(tasks, "start", run_id)

    assert services.runs.get(run_id).status is RunStatus.PENDING


# The AWS Python runtime reports a raised exception's class name as errorType, which the ASL's
# Retry on Start/Poll/Finish matches (checked statically in test_runs_asl_retries). The
# local AWS cannot show that retry (its errorType is always Runtime.HandlerError; see
# tests/e2e/test_e2e_local_aws.py), so these two play the retry by invoking the task again.


def test_unavailable_provider_poll_raises_provider_unavailable_and_a_retried_poll_completes(
    services: Services, tasks: dict[str, Any], emulator: Any
) -> None:
    run_id = registered(services, tasks, synthflow_suite_request(gate={"min_pass_rate": 0.5}))
    step = invoke(tasks, "start", run_id)
    emulator.faults.add(provider="synthflow", kind="5xx", method="GET", times=100)

    with pytest.raises(ProviderUnavailable):
        invoke(tasks, "poll", run_id, poll_count=step["count"])
    assert services.runs.get(run_id).status is RunStatus.RUNNING

    # When the provider is back, the state machine's retry of the same Poll goes on to the end
    emulator.faults.clear()
    deadline = time.monotonic() + 20
    while not step["terminal"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
        step = invoke(tasks, "poll", run_id, poll_count=step["count"])
    assert invoke(tasks, "finish", run_id)["status"] == "COMPLETED"


def test_ambiguous_launch_failure_is_reconciled_by_the_retried_start_not_sent_again(
    services: Services, tasks: dict[str, Any], emulator: Any
) -> None:
    # Given the first Bluejay launch fails with a 502 (did it start? the client cannot know)
    run_id = registered(services, tasks, bluejay_request())
    emulator.faults.add(
        provider="bluejay", kind="5xx", status=502, path_contains="queue-simulation-run", times=1
    )

    with pytest.raises(ProviderUnavailable) as failed:
        invoke(tasks, "start", run_id)
    assert failed.value.ambiguous

    # When Start is retried, it reconciles with the provider: one launch in all
    step = invoke(tasks, "start", run_id)
    assert step["status"] == "RUNNING"
    assert len(launches(emulator, "bluejay")) == 1


def test_late_poll_after_stop_reports_the_end_and_writes_nothing(
    services: Services, tasks: dict[str, Any]
) -> None:
    run_id = registered(services, tasks, bluejay_request())
    invoke(tasks, "start", run_id)
    stop = sample_event("api_stop_simulation.json")
    stop = {**stop, "path": f"/simulations/{run_id}/stop", "pathParameters": {"run_id": run_id}}
    assert answer(load_handler("api").lambda_handler(resign(stop), LambdaContext()))[0] == 200

    step = invoke(tasks, "poll", run_id, poll_count=4)

    assert (step["terminal"], step["status"]) == (True, "STOPPED")
    record = services.runs.get(run_id)
    assert (record.status, record.poll_count) == (RunStatus.STOPPED, 0)


def test_time_out_records_timed_out(services: Services, tasks: dict[str, Any]) -> None:
    run_id = registered(services, tasks, bluejay_request())
    invoke(tasks, "start", run_id)

    detail = invoke(tasks, "time_out", run_id)

    assert detail["status"] == "TIMED_OUT"
    assert "2000 polls" in detail["error"]["message"]


def test_fail_records_the_caught_error(services: Services, tasks: dict[str, Any]) -> None:
    run_id = registered(services, tasks, bluejay_request())

    detail = invoke(tasks, "fail", run_id)

    assert detail["status"] == "FAILED"
    assert detail["error"] == {
        "type": "ProviderAuthError",
        "message": "bluejay create_simulation HTTP 401: Invalid API key",
    }


def test_register_of_an_invalid_direct_execution_raises_request_invalid(
    tasks: dict[str, Any], stack: Stack
) -> None:
    with pytest.raises(Exception, match="invalid request") as raised:
        invoke(tasks, "register", "direct-1", input={"request": {"provider": "bluejay"}})

    assert type(raised.value).__name__ == "RequestInvalid"
