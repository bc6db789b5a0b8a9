"""OmniDimension bodies as neutral results, and the OmniDimension facts the adapter decides by.

- poll: the simulation's status (see `statuses`) and `progress[0]` (0-100; Completed is 100).
- results: OmniDimension grades nothing, so `has_verdicts` is False and every call recording
  becomes one case with verdict NONE: reasoning = call_report.summary, transcript from
  call_report.full_conversation (turns, or text split into `role: content` lines, else
  interactions), recording_url and duration. total = calls recorded, passed = failed = 0. The
  simulation body is kept as `raw` without the recordings (each case keeps its own).
- a lost start: OmniDimension takes no idempotency key, so after an ambiguous start we look at
  the simulation. A Draft was never started. Anything else counts as started when it was a Draft
  at prepare time (a new simulation), when it is running now, or when its status changed since
  prepare (an existing simulation re-run from Completed or Stopped); never when it was already
  running at prepare time (OmniDimension refuses to start a running simulation, so that run is
  someone else's).
- an update keeps scenario ids: a scenario sent without `id` takes the id of the one existing
  scenario of the same name, so re-sending the same request updates the scenarios in place
  instead of replacing them with copies.
"""

from __future__ import annotations

import math
import re
from typing import Any

from agentsim.providers.base import (
    CaseResult,
    CaseVerdict,
    JsonObject,
    PollResult,
    SimulationResults,
    SimulationStatus,
)
from agentsim.providers.omnidimension.requests import SimulationSpec
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

_TURN = re.compile(r"^\s*([A-Za-z][\w .-]{0,30}?)\s*:\s(.*)$")


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
        fraction=_fraction(simulation, status),
        provider_status=word,
        message=message,
    )


def _progress(simulation: Simulation, status: SimulationStatus) -> int:
    fraction = _fraction(simulation, status)
    return 0 if fraction is None else math.floor(fraction * 100)


def _fraction(simulation: Simulation, status: SimulationStatus) -> float | None:
    """`progress[0]` (0-100), else finished records over all records; None when neither."""
    if status is SimulationStatus.COMPLETED:
        return 1.0
    if simulation.progress is not None:
        value = simulation.progress / 100
    elif simulation.total_records and simulation.total_simulation_finished_records is not None:
        value = simulation.total_simulation_finished_records / simulation.total_records
    else:
        return None
    return max(0.0, min(1.0, value))


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
        # An OmniDimension case is a scenario; its calls (number_of_call_to_make) are attempts.
        case_key=recording.scenario_name or names.get(recording.scenario_id or ""),
        verdict=CaseVerdict.NONE,
        status=recording.call_status,
        reasoning=report.summary if report is not None else None,
        transcript=transcript(report),
        recording_url=recording.recording_url,
        duration_seconds=recording.duration_seconds,
        raw=recording.raw(),
    )


def transcript(report: CallReport | None) -> list[JsonObject] | None:
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


def _as_turn(item: Any) -> JsonObject:
    return dict(item) if isinstance(item, dict) else {"content": str(item)}


def _line_turn(line: str) -> JsonObject:
    match = _TURN.match(line)
    if match:
        return {"role": match.group(1).strip(), "content": match.group(2).strip()}
    return {"content": line.strip()}
