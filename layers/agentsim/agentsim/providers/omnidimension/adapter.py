"""OmniDimension behind the neutral `SimulationProvider` contract.

prepare: create a Draft (spec only), update it (spec + id: PUT with the full scenario list) or
GET it to confirm it exists (id only). On update, a scenario sent without `id` takes the id of
the one existing scenario of the same name, so re-sending the same request updates the
scenarios in place instead of replacing them with copies. The status seen at prepare time is
kept in the handle (`extra.prepared_status`) for `find_launch`.
launch: POST start, the paid step. OmniDimension has no run id: the simulation is the run.
launch_candidates: OmniDimension takes no idempotency key, so after an ambiguous start we look
at the simulation. A Draft was never started: none. Anything else counts as started when it was
a Draft at prepare time (a new simulation), when it is running now, or when its status changed
since prepare (an existing simulation re-run from Completed or Stopped); never when it was
already running at prepare time (OmniDimension refuses to start a running simulation, so that
run is someone else's). Every start of a simulation is known by the simulation's id, so the key
(`omnidimension:simulation:<id>`) is claimed before the start and passes on once its run ended.
poll: the simulation's status (see `statuses`) and `progress[0]` (0-100; Completed is 100).
results: OmniDimension grades nothing, so `has_verdicts` is False and every call recording
becomes one case with verdict NONE: reasoning = call_report.summary, transcript from
call_report.full_conversation (turns, or text split into `role: content` lines, else
interactions), recording_url and duration. total = calls recorded, passed = failed = 0. The
simulation body is kept as `raw` without the recordings (each case keeps its own).
stop: POST stop; a 200 `success: false` (not running) is ProviderRejected.
expected duration: waves of `concurrent_call_count` calls over every scenario times
`number_of_call_to_make`, each as long as `max_call_duration_in_minutes`:
    ceil(calls_per_scenario * scenarios / concurrency) * max_minutes * 60 seconds
with OmniDimension's defaults (1 call, 3 at a time, 3 minutes, 1 scenario) for what is unknown.
"""

from __future__ import annotations

import logging
import math
import re
from datetime import datetime
from typing import Any, Unpack

from pydantic import BaseModel

from agentsim.providers.base import (
    CaseResult,
    CaseVerdict,
    ClientProvider,
    LaunchCandidate,
    PollResult,
    ProviderName,
    ProviderRun,
    SimulationResults,
    SimulationStatus,
    as_request,
)
from agentsim.providers.http import HttpOptions
from agentsim.providers.omnidimension.client import DEFAULT_BASE_URL, OmniDimensionClient
from agentsim.providers.omnidimension.models import (
    DEFAULT_CALL_MINUTES,
    DEFAULT_CALLS_PER_SCENARIO,
    DEFAULT_CONCURRENT_CALLS,
    RunOptions,
    SimulationSpec,
)
from agentsim.providers.omnidimension.responses import (
    CallRecording,
    CallReport,
    ScenarioRecord,
    Simulation,
)
from agentsim.providers.omnidimension.statuses import (
    is_active,
    is_draft,
    neutral_status,
    same_status,
)

logger = logging.getLogger(__name__)

_TURN = re.compile(r"^\s*([A-Za-z][\w .-]{0,30}?)\s*:\s(.*)$")


class OmniDimensionProvider(ClientProvider[OmniDimensionClient]):
    name = ProviderName.OMNIDIMENSION
    reuses_launch_keys = True

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        **options: Unpack[HttpOptions],
    ) -> None:
        super().__init__(OmniDimensionClient(api_key, base_url=base_url, **options))

    # Starting --------------------------------------------------------------------------------

    def prepare(
        self, simulation: BaseModel | None, *, simulation_id: str | None = None
    ) -> ProviderRun:
        spec = as_request(SimulationSpec, simulation)
        if simulation_id is None:
            if spec is None:
                raise ValueError("simulation or simulation_id is required")
            created = self.client.create_simulation(spec)
            return self._prepared(created.id, "created", created.status)
        simulation_id = str(simulation_id).strip()
        existing = self.client.get_simulation(simulation_id)
        if spec is None:
            return self._prepared(simulation_id, "existing", existing.status)
        updated = self.client.update_simulation(
            simulation_id, keep_scenario_ids(spec, existing.scenarios_ids)
        )
        # The update answer may be partial (its documented example has no scenarios).
        return self._prepared(simulation_id, "updated", updated.status or existing.status)

    def _prepared(self, simulation_id: str, how: str, status: str | None) -> ProviderRun:
        return ProviderRun(
            provider=self.name,
            simulation_id=simulation_id,
            extra={"prepared": how, "prepared_status": status},
        )

    def launch(
        self, prepared: ProviderRun, run: BaseModel | None, *, idempotency_key: str
    ) -> ProviderRun:
        """Start the simulation. OmniDimension takes no idempotency key; `find_launch` covers it."""
        started = self.client.start_simulation(prepared.simulation_id, as_request(RunOptions, run))
        status = started.simulation.status if started.simulation is not None else None
        logger.info(
            "omnidimension simulation started",
            extra={
                "simulation_id": prepared.simulation_id,
                "status": status,
                "idempotency_key": idempotency_key,
            },
        )
        return prepared.model_copy(update={"extra": {**prepared.extra, "launched_status": status}})

    def launch_scope(self, prepared: ProviderRun, *, idempotency_key: str) -> str:
        return self.launch_key(prepared)

    def launch_key(self, run: ProviderRun) -> str:
        return f"omnidimension:simulation:{run.simulation_id}"

    def launch_key_ahead(self, prepared: ProviderRun, *, idempotency_key: str) -> str | None:
        return self.launch_key(prepared)

    def launch_candidates(
        self, prepared: ProviderRun, *, idempotency_key: str, attempted_at: datetime
    ) -> list[LaunchCandidate]:
        current = self.client.get_simulation(prepared.simulation_id)
        if not started_since(prepared.extra.get("prepared_status"), current.status):
            return []
        found = prepared.model_copy(
            update={"extra": {**prepared.extra, "launched_status": current.status, "found": True}}
        )
        return [LaunchCandidate(run=found, key=self.launch_key(found))]

    # Following -------------------------------------------------------------------------------

    def poll(self, run: ProviderRun) -> PollResult:
        return poll_status(self.client.get_simulation(run.simulation_id))

    def results(self, run: ProviderRun) -> SimulationResults:
        return simulation_results(self.client.get_simulation(run.simulation_id))

    def stop(self, run: ProviderRun) -> None:
        """Stop the simulation; ProviderRejected when OmniDimension says it cannot (not running)."""
        answer = self.client.stop_simulation(run.simulation_id)
        logger.info(
            "omnidimension simulation stopped",
            extra={
                "simulation_id": run.simulation_id,
                "disconnect_results": answer.disconnect_results.raw()
                if answer.disconnect_results is not None
                else None,
            },
        )

    def expected_duration_seconds(
        self, simulation: BaseModel | None, run: BaseModel | None
    ) -> float:
        """ceil(calls_per_scenario * scenarios / concurrency) * max_minutes * 60."""
        spec = as_request(SimulationSpec, simulation)
        options = as_request(RunOptions, run)
        calls = DEFAULT_CALLS_PER_SCENARIO
        concurrency = DEFAULT_CONCURRENT_CALLS
        minutes = DEFAULT_CALL_MINUTES
        scenarios = 1
        if spec is not None:
            calls = spec.number_of_call_to_make or calls
            concurrency = spec.concurrent_call_count or concurrency
            minutes = spec.max_call_duration_in_minutes or minutes
            scenarios = len(spec.scenarios)
        if options is not None and options.scenarios:
            scenarios = len(options.scenarios)
        return float(math.ceil(calls * scenarios / concurrency) * minutes * 60)


# Mapping ---------------------------------------------------------------------------------------


def started_since(prepared_status: str | None, current_status: str | None) -> bool:
    """Whether the simulation shows a start after a prepare that saw `prepared_status`.

    Running at prepare time, it could not be started (OmniDimension refuses a start while it
    runs), so whatever it shows now is that earlier run, never ours.
    """
    if is_draft(current_status) or is_active(prepared_status):
        return False
    if prepared_status is None or is_draft(prepared_status) or is_active(current_status):
        return True
    return not same_status(prepared_status, current_status)


def keep_scenario_ids(spec: SimulationSpec, existing: list[ScenarioRecord]) -> SimulationSpec:
    """The spec with each id-less scenario given the id of the one existing scenario named alike.

    Ids the spec already names are never reassigned; a name shared by several existing
    scenarios is ambiguous and left alone (the scenario is added as new).
    """
    claimed = {s.id for s in spec.scenarios if s.id is not None}
    by_name: dict[str, list[int]] = {}
    for record in existing:
        if record.name and record.id and record.id.isdigit() and int(record.id) not in claimed:
            by_name.setdefault(record.name, []).append(int(record.id))
    scenarios = []
    for scenario in spec.scenarios:
        ids = by_name.get(scenario.name, [])
        if scenario.id is None and len(ids) == 1:
            del by_name[scenario.name]
            scenarios.append(scenario.model_copy(update={"id": ids[0]}))
        else:
            scenarios.append(scenario)
    return spec.model_copy(update={"scenarios": scenarios})


def poll_status(simulation: Simulation) -> PollResult:
    word = simulation.status or "UNKNOWN"
    known = neutral_status(simulation.status)
    status = known or SimulationStatus.RUNNING
    message = None
    if known is None:
        message = f"unrecognised OmniDimension status {word!r}, treated as running"
    elif status is SimulationStatus.FAILED:
        message = (
            simulation.what_went_wrong or simulation.summary or f"OmniDimension simulation {word}"
        )
    return PollResult(
        status=status,
        progress=_progress(simulation, status),
        provider_status=word,
        message=message,
    )


def _progress(simulation: Simulation, status: SimulationStatus) -> int:
    if status is SimulationStatus.COMPLETED:
        return 100
    if simulation.progress is not None:
        value = simulation.progress
    elif simulation.total_records and simulation.total_simulation_finished_records is not None:
        value = simulation.total_simulation_finished_records * 100 / simulation.total_records
    else:
        value = 0
    return max(0, min(100, math.floor(value)))


def simulation_results(simulation: Simulation) -> SimulationResults:
    names = {s.id: s.name for s in simulation.scenarios_ids if s.id is not None and s.name}
    cases = [
        case_result(recording, index, names)
        for index, recording in enumerate(simulation.simulation_call_recording, start=1)
    ]
    raw = simulation.model_dump(
        mode="json", by_alias=True, exclude_unset=True, exclude={"simulation_call_recording"}
    )
    return SimulationResults(
        total=len(cases),
        passed=0,
        failed=0,
        has_verdicts=False,
        summary=simulation.summary,
        cases=cases,
        raw=raw,
    )


def case_result(recording: CallRecording, index: int, names: dict[str, str]) -> CaseResult:
    report = recording.call_report
    case_id = recording.id or f"{recording.scenario_id or 'call'}-{recording.call_number or index}"
    return CaseResult(
        case_id=case_id,
        name=recording.scenario_name or names.get(recording.scenario_id or ""),
        verdict=CaseVerdict.NONE,
        status=recording.call_status,
        reasoning=report.summary if report is not None else None,
        transcript=transcript(report),
        recording_url=recording.recording_url,
        duration_seconds=recording.duration_seconds,
        raw=recording.raw(),
    )


def transcript(report: CallReport | None) -> list[dict[str, Any]] | None:
    """Turns from `full_conversation` (a list, or text of `role: content` lines), else
    `interactions`; None when the report has no conversation."""
    if report is None:
        return None
    conversation = report.full_conversation
    if isinstance(conversation, list) and conversation:
        return [_as_turn(item) for item in conversation]
    if isinstance(conversation, str) and conversation.strip():
        return [_line_turn(line) for line in conversation.splitlines() if line.strip()]
    if report.interactions:
        return [_as_turn(item) for item in report.interactions]
    return None


def _as_turn(item: Any) -> dict[str, Any]:
    return dict(item) if isinstance(item, dict) else {"content": str(item)}


def _line_turn(line: str) -> dict[str, Any]:
    match = _TURN.match(line)
    if match:
        return {"role": match.group(1).strip(), "content": match.group(2).strip()}
    return {"content": line.strip()}
