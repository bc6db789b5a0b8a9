"""One run through the workflow's use cases as the state machine drives them, without Step
Functions: Register, Start, the Poll loop, Finish, TimeOut, and RecordFailure for what a task's
retriers give up on. Retries follow the ASL's own Retry blocks (error names, MaxAttempts, full
jitter), with the waits scaled down so a test takes seconds, not minutes."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from support.stack_template import ASL

from agentsim.runs.envelope import parse_request
from agentsim.runs.fail import fail
from agentsim.runs.finish import finish
from agentsim.runs.pacing import PollStep
from agentsim.runs.poll import poll
from agentsim.runs.record import Origin, RunRecord
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.submit import submit
from agentsim.runs.time_out import time_out
from agentsim_local.registration import register_now

WAIT_SCALE = 0.02
"""ASL seconds to test seconds: a 2 s retry interval becomes 40 ms."""


@dataclass
class Trace:
    """What happened to one run: every task error, by class name, and how it ended."""

    run_id: str
    errors: list[str] = field(default_factory=list)
    failed_task: str | None = None


class _GaveUp(Exception):
    pass


def _retrier(state: str, error: BaseException) -> int | None:
    """The index of the state's retrier matching `error` by class name, as Lambda names it."""
    name = type(error).__name__
    for index, retrier in enumerate(ASL["States"][state].get("Retry", [])):
        if name in retrier["ErrorEquals"]:
            return index
    return None


def _task[T](services: Services, trace: Trace, state: str, call: Callable[[], T]) -> T:
    """`call` with the state's retriers; RecordFailure (the Catch) when they give up."""
    attempts: dict[int, int] = {}
    while True:
        try:
            return call()
        except Exception as error:  # the Catch takes States.ALL
            name = type(error).__name__
            trace.errors.append(name)
            index = _retrier(state, error)
            retrier = ASL["States"][state]["Retry"][index] if index is not None else None
            tried = attempts.get(index, 0) + 1 if index is not None else 0
            if index is None or retrier is None or tried > retrier["MaxAttempts"]:
                cause = json.dumps({"errorType": name, "errorMessage": str(error)})
                fail(services, trace.run_id, {"Error": name, "Cause": cause})
                trace.failed_task = state
                raise _GaveUp from error
            attempts[index] = tried
            ceiling = retrier["IntervalSeconds"] * retrier["BackoffRate"] ** (tried - 1)
            ceiling = min(ceiling, retrier["MaxDelaySeconds"])
            time.sleep(random.uniform(0, ceiling) * WAIT_SCALE)  # FULL jitter


def registered(services: Services, run_id: str, request: dict[str, Any]) -> str:
    """Submit `request` as `run_id` (a webhook) and register its execution, as Register does."""
    submit(services, run_id, parse_request(request), Origin.WEBHOOK)
    register_now(services, run_id, machine="m", execution_input={"run_id": run_id})
    return run_id


def run_workflow(
    services: Services, run_id: str, request: dict[str, Any], *, poll_scale: float = 0.1
) -> tuple[RunRecord, Trace]:
    """Submit `request` as `run_id` and drive it to its end; the final record and its trace."""
    trace = Trace(run_id)
    registered(services, run_id, request)
    max_polls = services.pacing.max_polls
    try:
        step: PollStep = _task(services, trace, "Start", partial(start, services, run_id))
        while not step.terminal:
            if step.past_deadline or step.count >= max_polls:
                polls = step.count
                _task(services, trace, "TimeOut", partial(time_out, services, run_id, polls))
                return services.runs.get(run_id), trace
            time.sleep(step.wait_seconds * poll_scale)
            step = _task(services, trace, "Poll", partial(poll, services, run_id, step.count))
        _task(services, trace, "Finish", partial(finish, services, run_id))
    except _GaveUp:
        pass
    return services.runs.get(run_id), trace
