"""OmniDimension response bodies, parsed tolerantly.

The OpenAPI types most of the simulation loosely (free-form `scenarios_ids[]` and
`simulation_call_recording[]`, every example an empty list) and the live API is described as
"under-supported", so:
- unknown fields are kept (`extra="allow"`) and ids are accepted as int or str, held as str;
- status words are free strings (classified in `statuses`);
- `what_went_wrong`, `suggestions_for_improvement`, `prompt_suggestion`, `summary` (and a
  recording's `recording_url`) are `string | false`: false ("not computed yet") becomes None;
- `progress` is a one-element array `[n]` (documented) or a bare number; held as a number;
- `create_date` is `MM/DD/YYYY HH:MM:SS` (documented, month first, timezone unknown: taken as
  UTC) or ISO 8601; anything unparseable becomes None instead of failing the body;
- `bot_id` is an object `{id, name}` (documented) or a bare id;
- missing or null lists are empty; a `scenarios_ids` entry may be an object or a bare id;
- a call recording is read in the shape of OmniDimension's call logs (`call_report{summary,
  sentiment, extracted_variables, full_conversation, interactions}`), every field optional,
  `full_conversation` as text or as a list of turns.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field

from agentsim.providers.lenient import (
    LenientResponse,
    LooseId,
    LooseList,
    LooseNumber,
    lenient_datetime,
)

_OMNI_DATE = re.compile(
    r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$"
)


def _false_to_none(value: object) -> object:
    """`string | false` fields: false (or true, never documented) means no text yet."""
    return None if isinstance(value, bool) else value


def _first_of_array(value: object) -> object:
    """`progress: [n]` (documented) or a bare `n`; an empty array is no progress reported."""
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def _id_to_object(value: object) -> object:
    """`bot_id: {id, name}` (documented) or a bare agent id."""
    if isinstance(value, int | str) and not isinstance(value, bool):
        return {"id": value}
    return value


def _ids_to_objects(value: object) -> object:
    if value is None:
        return []
    if isinstance(value, list):
        return [_id_to_object(item) for item in value]
    return value


def _omni_datetime(value: object) -> object:
    """`MM/DD/YYYY HH:MM:SS` as an aware UTC datetime; other values left to pydantic (ISO)."""
    if isinstance(value, str):
        match = _OMNI_DATE.match(value)
        if match:
            month, day, year, hour, minute, second = match.groups()
            try:
                return datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour or 0),
                    int(minute or 0),
                    int(second or 0),
                    tzinfo=UTC,
                )
            except ValueError:
                return None
    return value


MaybeText = Annotated[str | None, BeforeValidator(_false_to_none)]
"""A `string | false` field: None until OmniDimension has computed it."""

LooseTime = Annotated[datetime | None, lenient_datetime(pre=_omni_datetime, assume_utc=True)]
"""`MM/DD/YYYY HH:MM:SS` or ISO 8601, assumed UTC without an offset; None when unparseable."""


class BotRef(LenientResponse):
    """`bot_id`: the agent under test."""

    id: LooseId | None = None
    name: str | None = None


class Analytics(LenientResponse):
    """`analyticsData`: sentiment counts over the finished calls."""

    positive: int | None = Field(default=None, alias="Positive")
    negative: int | None = Field(default=None, alias="Negative")
    neutral: int | None = Field(default=None, alias="Neutral")


class ScenarioRecord(LenientResponse):
    """One `scenarios_ids` entry: free-form in the spec; the fields scenarios are created with."""

    id: LooseId | None = None
    name: str | None = None
    description: str | None = None
    expected_result: str | None = None


class CallReport(LenientResponse):
    """A call's report, as in OmniDimension's call logs."""

    summary: MaybeText = None
    sentiment: MaybeText = None
    extracted_variables: Any = None
    full_conversation: Annotated[str | list[Any] | None, BeforeValidator(_false_to_none)] = Field(
        default=None, validation_alias=AliasChoices("full_conversation", "fullConversation")
    )
    interactions: LooseList[Any] = Field(default_factory=list)


class CallRecording(LenientResponse):
    """One `simulation_call_recording` entry: one call of one scenario."""

    id: LooseId | None = None
    scenario_id: LooseId | None = None
    scenario_name: str | None = None
    call_number: int | None = None
    call_status: str | None = None
    recording_url: MaybeText = None
    duration_seconds: LooseNumber = Field(
        default=None, validation_alias=AliasChoices("duration_seconds", "duration")
    )
    call_report: CallReport | None = None


class Simulation(LenientResponse):
    """`components.schemas.Simulation`: create, get, update, start and list all return it."""

    id: LooseId
    name: str | None = None
    bot_id: Annotated[BotRef | None, BeforeValidator(_id_to_object)] = None
    status: str | None = None
    number_of_call_to_make: int | None = None
    concurrent_call_count: int | None = None
    max_call_duration_in_minutes: int | None = None
    scenarios_ids: Annotated[list[ScenarioRecord], BeforeValidator(_ids_to_objects)] = Field(
        default_factory=list
    )
    what_went_wrong: MaybeText = None
    suggestions_for_improvement: MaybeText = None
    prompt_suggestion: MaybeText = None
    is_auto_prompt_suggestions_applied: bool | None = None
    how_many_scenario_to_generate: int | None = None
    summary: MaybeText = None
    analytics: Analytics | None = Field(default=None, alias="analyticsData")
    total_simulation_remaining_records: int | None = None
    total_simulation_in_progress_records: int | None = None
    total_simulation_finished_records: int | None = None
    total_records: int | None = None
    progress: Annotated[LooseNumber, BeforeValidator(_first_of_array)] = None
    simulation_call_recording: LooseList[CallRecording] = Field(
        default_factory=list,
        validation_alias=AliasChoices("simulation_call_recording", "simulation_call_recordings"),
    )
    can_stop: bool | None = None
    active_calls_count: int | None = None
    create_date: LooseTime = None

    @property
    def agent_id(self) -> str | None:
        return self.bot_id.id if self.bot_id is not None else None


class SimulationAnswer(LenientResponse):
    """`{success, simulation}`: create, get and update (update's example is partial)."""

    success: bool | None = None
    message: str | None = None
    simulation: Simulation


class StartedSimulation(LenientResponse):
    """`POST /simulations/{id}/start`: `{success, message, simulation{id, name, status, ...}}`."""

    success: bool | None = None
    message: str | None = None
    simulation: Simulation | None = None


class SimulationPage(LenientResponse):
    """`GET /simulations?pageno=&pagesize=`: `{records, total_records}`."""

    records: LooseList[Simulation] = Field(default_factory=list)
    total_records: int | None = None


class DisconnectResults(LenientResponse):
    successful_disconnects: int | None = None
    failed_disconnects: int | None = None
    pending_stopped: int | None = None


class StoppedSimulation(LenientResponse):
    """`POST /simulations/{id}/stop`: HTTP 200 either way; `success: false` is a refusal."""

    success: bool
    message: str | None = None
    disconnect_results: DisconnectResults | None = None


class DeletedSimulation(LenientResponse):
    """`DELETE /simulations/{id}`: `{success, message}`, or an empty body (the SDK drops it)."""

    success: bool | None = None
    message: str | None = None


class PromptSection(LenientResponse):
    title: str | None = None
    prompt: str | None = None


class EnhancedPrompt(LenientResponse):
    """`POST /simulations/{id}/enhance-prompt` (completed simulations only)."""

    success: bool | None = None
    previous_context: LooseList[PromptSection] = Field(default_factory=list)
    prompt_breakdown: LooseList[PromptSection] = Field(default_factory=list)
