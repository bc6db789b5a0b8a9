"""A run its provider calls back about: the workflow's wait for the call, and the calls.

The workflow waits in `WaitForCallback` (a task token, with a timeout as the safety net) once a
poll says the provider calls back (`Services.calls_back`: Bluejay with its webhook set up).
`await_callback` stores that token on the RUNNING run. `receive_bluejay` handles one verified
webhook delivery: a result of one of our runs is recorded on it, and once every result the
launch expects came back the run is marked complete and its wait woken, so the workflow goes on
to Finish at once (no poll in between: the webhooks said every result is in). Whichever of the
two comes second wakes the wait, so a webhook that beats the token to the record still wakes it.
A delivery handled before, or about a run that is not ours, has ended or had not started,
changes nothing.
"""

from __future__ import annotations

from enum import StrEnum

from agentsim.providers.bluejay.handles import BluejayLaunched
from agentsim.providers.bluejay.webhooks import ResultEnded, ResultEvaluated
from agentsim.runs.errors import RunAlreadyFinished, TransitionRefused
from agentsim.runs.record import Change, RunRecord, RunStatus
from agentsim.runs.services import Services

RUNNING_ONLY = frozenset({RunStatus.RUNNING})
BLUEJAY = "bluejay"


class Received(StrEnum):
    """What one delivery did (the webhook's answer says it)."""

    RECORDED = "recorded"
    COMPLETE = "complete"
    """The last expected result: the run's wait was woken."""
    DUPLICATE = "duplicate"
    STALE = "stale"
    """About a run that is not ours, ended, or began after the result."""
    IGNORED = "ignored"
    """An event type agentsim does not follow."""


def await_callback(services: Services, run_id: str, token: str) -> bool:
    """Store the wait's `token` on the run; True when the run was complete already and the
    wait has been woken now."""
    try:
        record = services.runs.change(run_id, Change.within(RUNNING_ONLY, wake_token=token))
    except (RunAlreadyFinished, TransitionRefused):
        return services.require_wakes().wake(token)  # ended meanwhile: go on to the poll
    if record.callback_complete_at is None:
        return False
    return services.require_wakes().wake(token)


def receive_bluejay(
    services: Services, event: ResultEvaluated | ResultEnded | None, delivery: str
) -> Received:
    log = services.require_callback_log()
    if log.seen(BLUEJAY, delivery):
        return Received.DUPLICATE
    run_id = None
    outcome = Received.IGNORED
    if event is not None:
        run_id = services.require_claims().owner(f"bluejay:run:{event.simulation_run_id}")
        record = services.runs.find(run_id) if run_id is not None else None
        outcome = _result(services, record, event) if record is not None else Received.STALE
    log.mark(BLUEJAY, delivery, run_id, services.clock())
    return outcome


def _result(
    services: Services, record: RunRecord, event: ResultEvaluated | ResultEnded
) -> Received:
    handle = record.handle
    if record.status is not RunStatus.RUNNING or not isinstance(handle, BluejayLaunched):
        return Received.STALE
    began = record.started_at or record.created_at
    if event.end_time is not None and event.end_time < began:
        return Received.STALE
    if not event.settled:
        return Received.RECORDED
    log = services.require_callback_log()
    log.record_result(record.run_id, event.id, services.clock())
    expected = set(handle.result_ids)
    if not expected or not expected <= log.results(record.run_id):
        return Received.RECORDED
    if record.callback_complete_at is not None:
        return Received.COMPLETE  # an earlier delivery completed it and woke the wait
    return _complete(services, record.run_id)


def _complete(services: Services, run_id: str) -> Received:
    change = Change.within(RUNNING_ONLY, callback_complete_at=services.clock())
    try:
        record = services.runs.change(run_id, change)
    except (RunAlreadyFinished, TransitionRefused):
        return Received.STALE
    if record.wake_token is not None:
        services.require_wakes().wake(record.wake_token)
    return Received.COMPLETE
