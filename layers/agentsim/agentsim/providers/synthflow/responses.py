"""Synthflow response bodies, parsed tolerantly, and the `{status, response}` wrapper most of
them come in.

Synthflow's reference leaves a lot open (status words beyond the enum, when analysis appears,
which pagination wrapper an endpoint uses), so only the ids we cannot work without are
required; unknown fields are kept, numbers in id fields become strings and an unparsable
timestamp becomes None instead of failing the whole body.

Most operations wrap their payload in `{"status": "ok", "response": {...}}`; suite execute does
not. A 200 whose `status` says error/failed/failure is a refusal, not a payload. Error bodies come
as `{detail: str}` (regional FastAPI hosts), `{detail: [{loc, msg, type}]}` (validation) or
`{error, message}` (the global gateway); `fastapi_message` reads them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from agentsim.providers.base import ProviderName
from agentsim.providers.errors import ProviderRejected
from agentsim.providers.lenient import LenientResponse, LooseList, lenient_datetime
from agentsim.providers.messages import fastapi_message

ERROR_STATUSES = frozenset({"error", "failed", "failure"})

Timestamp = Annotated[datetime | None, lenient_datetime(assume_utc=True)]
"""A date-time, assumed UTC without an offset; None when missing or unparsable."""


class SynthflowModel(LenientResponse):
    """Unknown fields kept (see `LenientResponse`); a number in any text field held as text."""

    model_config = ConfigDict(coerce_numbers_to_str=True)


class ErrorInfo(SynthflowModel):
    message: str | None = None
    code: int | str | None = None
    type: str | None = None


class TimelineEntry(SynthflowModel):
    sender_type: str | None = None
    value: str | None = None
    type: str | None = None
    timestamp_datetime: Timestamp = None
    timestamp: str | None = Field(default=None, description="Seconds as a string float.")

    @property
    def seconds(self) -> float | None:
        try:
            return float(self.timestamp) if self.timestamp is not None else None
        except ValueError:
            return None


class Evaluation(SynthflowModel):
    success: bool | None = None
    reasoning: str | None = None


class SuccessCriteriaAnalysis(SynthflowModel):
    success: bool | None = None
    evaluations: list[Evaluation] | None = None


class SimulationReadOut(SynthflowModel):
    """One simulation: a case run against an agent. Also the (minimal) start response."""

    simulation_id: str
    simulation_session_id: str | None = None
    simulation_case_id: str | None = None
    simulation_case_name: str | None = None
    simulation_case_prompt: str | None = None
    success_criteria: list[str] | None = None
    call_success_type: str | None = None
    persona_agent_id: str | None = None
    persona_phone_number: str | None = None
    target_agent_id: str | None = None
    agent_name: str | None = None
    agent_avatar_url: str | None = None
    target_phone_number: str | None = None
    target_call_id: str | None = None
    custom_variables: dict[str, Any] | None = None
    status: str | None = None
    workspace_id: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    error_info: ErrorInfo | None = None
    recording_url: str | None = None
    timeline: list[TimelineEntry] | None = None
    success_criteria_analysis: SuccessCriteriaAnalysis | None = None


class SimulationSessionReadOut(SynthflowModel):
    """A session: the simulations of one suite execution (or of one caller-chosen session)."""

    simulation_session_id: str | None = None
    simulations: LooseList[SimulationReadOut] = Field(default_factory=list)
    total_simulations: int | None = None
    completed_simulations: int | None = None
    failed_simulations: int | None = None
    pending_simulations: int | None = None


class SuiteExecution(SynthflowModel):
    """The unwrapped answer of `POST /simulation_suites/{id}/execute`."""

    session_id: str
    suite_id: str | None = None
    suite_name: str | None = None
    total_cases: int | None = None
    status: str | None = None


class SimulationCase(SynthflowModel):
    simulation_case_id: str
    suite_id: str | None = None
    name: str | None = None
    prompt: str | None = None
    type: str | None = None
    success_criteria: list[str] | None = None
    call_success_type: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _id_alias(cls, data: Any) -> Any:
        """Some case bodies say `id`; create wraps the case in `{simulation_case: ...}`."""
        if isinstance(data, dict) and isinstance(data.get("simulation_case"), dict):
            data = data["simulation_case"]
        if isinstance(data, dict) and "simulation_case_id" not in data and "id" in data:
            return {**data, "simulation_case_id": data["id"]}
        return data


class SimulationSuite(SynthflowModel):
    id: str
    name: str | None = None
    model_id: str | None = None
    language: str | None = None
    cases: list[SimulationCase] | None = None

    @model_validator(mode="before")
    @classmethod
    def _id_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "id" not in data and "suite_id" in data:
            return {**data, "id": data["suite_id"]}
        return data


class Pagination(SynthflowModel):
    total_records: int | None = None
    limit: int | None = None
    offset: int | None = None


class Page[ItemT](SynthflowModel):
    """Either envelope: `{pagination{total_records,limit,offset}, items}` or
    `{items, total, page_number, page_size}` (or a bare list)."""

    items: LooseList[ItemT] = Field(default_factory=list)
    pagination: Pagination | None = None
    total: int | None = None
    page_number: int | None = None
    page_size: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data: Any) -> Any:
        return {"items": data} if isinstance(data, list) else data

    @property
    def total_records(self) -> int | None:
        if self.total is not None:
            return self.total
        return self.pagination.total_records if self.pagination else None


def unwrap(body: Any, operation: str) -> Any:
    """The payload of a wrapped answer; raises ProviderRejected for an error status.

    Meant as `ProviderHttp.request(read=...)`, which redacts the key from that error.
    """
    if not isinstance(body, Mapping):
        return body
    status = body.get("status")
    if isinstance(status, str) and status.strip().lower() in ERROR_STATUSES:
        message = fastapi_message(body) or f"Synthflow answered status {status!r}"
        raise ProviderRejected(
            ProviderName.SYNTHFLOW.value, message, status_code=200, operation=operation, detail=body
        )
    if "response" in body:
        return body["response"]
    return body
