"""Workflow step: the provider reached an end; collect results, judge them, store everything.

Idempotent: a finished record is returned as it is (a retried Finish changes nothing), and case
items are written under fixed keys (a retry overwrites them). Cases go to their own items, the
record keeps the `{total, passed, failed, pass_rate}` summary and each case's attempts
(`outcomes`), which later comparisons and the series history read.

Provider end state -> run status: COMPLETED -> COMPLETED with the gate's verdict, compared with
the series' baseline (`judging`); FAILED ->
FAILED (an execution error on the provider); STOPPED -> STOPPED (stopped outside agentsim).
"""

from __future__ import annotations

from agentsim.providers.base import AnyProvider, SimulationResults, SimulationStatus
from agentsim.providers.errors import ProviderError
from agentsim.providers.handles import LaunchedHandle
from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.gate import Gate, summarize
from agentsim.runs.judging import judge_run, run_outcomes
from agentsim.runs.record import Change, ErrorInfo, RunRecord, RunStatus, Verdict
from agentsim.runs.services import Services

_STATUS = {
    SimulationStatus.COMPLETED: RunStatus.COMPLETED,
    SimulationStatus.FAILED: RunStatus.FAILED,
    SimulationStatus.STOPPED: RunStatus.STOPPED,
}


def finish(services: Services, run_id: str) -> RunRecord:
    record = services.runs.get(run_id)
    if record.terminal:
        return record
    handle = record.expect_handle()
    state, word, message = record.provider_state, record.provider_status, record.provider_message
    with services.providers(record.expect_provider()) as provider:
        if state is None or not state.terminal:
            # Woken by the provider's callback (every result in) before a poll saw the end:
            # ask once, so a run the provider ended FAILED or STOPPED is recorded as such.
            seen = provider.poll(handle)
            state, word, message = seen.status, seen.provider_status, seen.message or message
        status = _STATUS.get(state, RunStatus.COMPLETED)
        results = _results(provider, handle, status)
    changes: dict[str, object] = {
        "finished_at": services.clock(),
        "progress": 100,
        "provider_state": state.value,
    }
    verdict = Verdict.NONE
    if results is not None:
        services.items.put_cases(run_id, results.cases)
        changes["results"] = summarize(results)
        outcomes = run_outcomes(record, results.cases)
        changes["outcomes"] = outcomes
        if status is RunStatus.COMPLETED:
            judgement, comparison = judge_run(services, record, outcomes, _gate(record))
            verdict = judgement.verdict
            changes["verdict_reasons"] = judgement.reasons or None
            changes["comparison"] = comparison
    changes["verdict"] = verdict.value
    if status is RunStatus.FAILED:
        changes["error"] = ErrorInfo(
            type="ProviderRunFailed",
            message=message or f"the provider reports the run as {word or 'failed'}",
            provider=record.provider.value if record.provider else None,
        )
    try:
        return services.runs.change(
            run_id, Change(changes, status=status, note=f"provider {state.value}")
        )
    except RunAlreadyFinished as ended:
        return ended.record


def _gate(record: RunRecord) -> Gate | None:
    """The gate the run's request set (validated with it when the run was submitted)."""
    stored = (record.request or {}).get("gate")
    return None if stored is None else Gate.model_validate(stored)


def _results(
    provider: AnyProvider, handle: LaunchedHandle, status: RunStatus
) -> SimulationResults | None:
    """Results of a completed run; of a failed or stopped one, whatever the provider still has."""
    try:
        return provider.results(handle)
    except ProviderError as exc:
        if status is RunStatus.COMPLETED or exc.retryable:
            raise
        return None
