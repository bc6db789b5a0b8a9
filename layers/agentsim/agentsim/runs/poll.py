"""One poll: ask the provider how the run is doing and choose the next wait (the Watch
function's, `watch.py`, and the workflow's own `Poll` once a wait gave up: a lost chain of
them, or a webhook that did not come).

Never idempotent on purpose (a cached "still running" would loop forever): each call asks the
provider. The write is conditional: only a RUNNING run takes progress, and `poll_count` only
grows, so a late or repeated poll cannot overwrite a finished run or a newer poll; such a poll
says it was `superseded` and reports the stored count. That condition is also what notices a
run that ended meanwhile, so a warm poll reads nothing first: the provider handle comes from
what the run store remembers of the launch, the progress seen so far comes back with the step
(the next poll's message carries it on), and the write returns nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentsim.providers.base import PollResult, ProviderName
from agentsim.runs.errors import RunAlreadyFinished, TransitionRefused
from agentsim.runs.pacing import PollStep, elapsed, wait_after
from agentsim.runs.record import Change, RunRecord, RunStatus
from agentsim.runs.schedule import ProgressPoint, remember
from agentsim.runs.services import Services

RUNNING_ONLY = frozenset({RunStatus.RUNNING})


def poll(
    services: Services, run_id: str, poll_count: int, history: Sequence[ProgressPoint] = ()
) -> PollStep:
    count = poll_count + 1
    try:
        run = services.runs.launched(run_id)
    except RunAlreadyFinished as ended:
        return _finished(ended.record, count)
    with services.providers(run.provider) as provider:
        result = provider.poll(run.handle)
    now = services.clock()
    seen = remember(history, ProgressPoint(elapsed=elapsed(run, now), fraction=result.fraction))
    superseded, stored_count = False, count
    try:
        services.runs.apply(run_id, _progress(result, count, seen))
    except RunAlreadyFinished as ended:
        return _finished(ended.record, count)
    except TransitionRefused as refused:
        # a newer poll already wrote: keep its numbers, report ours from its count on
        superseded, stored_count = True, max(count, refused.poll_count)
    return PollStep(
        count=stored_count,
        wait_seconds=wait_after(services.pacing, run, seen, now),
        status=result.status.value,
        terminal=result.status.terminal,
        past_deadline=run.deadline is not None and now >= run.deadline,
        history=seen,
        callback=_awaits_callback(services, run_id, run.provider),
        superseded=superseded,
    )


def _awaits_callback(services: Services, run_id: str, provider: ProviderName) -> bool:
    """Whether the next wait is for the provider's call: it calls back, and has not yet called
    about every result (then the end is near: the next polls follow the schedule)."""
    if not services.calls_back(provider):
        return False
    record = services.runs.find(run_id)
    return record is not None and record.callback_complete_at is None


def _progress(result: PollResult, count: int, seen: list[ProgressPoint]) -> Change:
    return Change.within(
        RUNNING_ONLY,
        poll_count=count,
        provider_status=result.provider_status,
        provider_state=result.status.value,
        provider_message=result.message,
        progress=result.progress,
        progress_points=seen,
    )


def _finished(record: RunRecord, count: int) -> PollStep:
    """The record ended meanwhile (stopped, failed): leave the loop and let Finish report it."""
    return PollStep(
        count=count,
        wait_seconds=1,
        status=record.status.value,
        terminal=True,
        past_deadline=False,
    )
