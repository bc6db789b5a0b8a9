"""What an agentsim request may ask of Synthflow: run one case, or a whole suite, on one agent.

Synthflow starts work in two shapes (its API reference, pages start-simulation and
execute-simulation-suite under https://docs.synthflow.ai/api-reference/platform-api/simulations/):
`POST /simulations` (one simulation case) and `POST /simulation_suites/{id}/execute` (every case
of a suite, grouped in a session). The spec is
one flat model whose checks sit on the fields (not a union), so every error names the field at
fault instead of listing the failures of both shapes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from agentsim.providers.base import ProviderName
from agentsim.providers.errors import ProviderRejected
from agentsim.providers.request_body import with_examples
from agentsim.providers.storable import FreeForm
from agentsim.providers.synthflow.handles import DEFAULT_MAX_TURNS

MIN_MAX_TURNS = 10
MAX_MAX_TURNS = 50

AgentId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Synthflow agent (model) ids look like `1726005822670-239735712159542050`: not uuids."""

SpecKind = Literal["case", "suite"]


def _kind(info: ValidationInfo) -> SpecKind | None:
    """The shape chosen so far; None when the deciding field was itself invalid."""
    if "suite_id" not in info.data:
        return None
    return "suite" if info.data["suite_id"] is not None else "case"


class SimulationSpec(BaseModel):
    """Start fields for Synthflow: `simulation_case_id` (one case) or `suite_id` (a suite)."""

    model_config = with_examples(
        {
            "simulation_case_id": "9ad09ad3-9c22-441e-ae35-c05016a09786",
            "target_agent_id": "1726005822670-239735712159542050",
            "custom_variables": {"customer_name": "John Doe"},
        },
        {
            "suite_id": "0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01",
            "target_agent_id": "1726005822670-239735712159542050",
            "max_turns": 20,
        },
    )

    simulation_case_id: uuid.UUID | None = Field(
        default=None, description="Run this one simulation case (POST /simulations)."
    )
    suite_id: uuid.UUID | None = Field(
        default=None,
        validate_default=True,
        description="Run every case of this suite (POST /simulation_suites/{id}/execute).",
    )
    target_agent_id: AgentId = Field(
        description="The agent under test. For a suite it must be the suite's model_id."
    )
    simulation_session_id: uuid.UUID | None = Field(
        default=None,
        validate_default=True,
        description="Case only: group the simulation into this session. Default: one derived "
        "from the agentsim run id, so a lost start can be found again.",
    )
    custom_variables: FreeForm | None = Field(
        default=None, validate_default=True, description="Case only: variables for the agent."
    )
    max_turns: int | None = Field(
        default=None,
        ge=MIN_MAX_TURNS,
        le=MAX_MAX_TURNS,
        validate_default=True,
        description=f"Suite only: turns per case, {MIN_MAX_TURNS}..{MAX_MAX_TURNS} "
        f"(default {DEFAULT_MAX_TURNS}).",
    )

    @field_validator("suite_id")
    @classmethod
    def _exactly_one_target(cls, value: uuid.UUID | None, info: ValidationInfo) -> uuid.UUID | None:
        if "simulation_case_id" not in info.data:
            return value  # simulation_case_id was invalid and is already reported
        case_id = info.data["simulation_case_id"]
        if value is None and case_id is None:
            raise ValueError(
                "give simulation_case_id (run one case) or suite_id (run a suite); neither was set"
            )
        if value is not None and case_id is not None:
            raise ValueError("give simulation_case_id or suite_id, not both")
        return value

    @field_validator("simulation_session_id", "custom_variables")
    @classmethod
    def _case_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and _kind(info) == "suite":
            raise ValueError(
                f"{info.field_name} applies only to a single case (simulation_case_id): "
                "Synthflow's suite execute does not take it"
            )
        return value

    @field_validator("max_turns")
    @classmethod
    def _suite_only(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = _kind(info)
        if kind == "case" and value is not None:
            raise ValueError("max_turns applies only to a suite run (suite_id)")
        if kind == "suite" and value is None:
            return DEFAULT_MAX_TURNS
        return value

    @property
    def kind(self) -> SpecKind:
        return "suite" if self.suite_id is not None else "case"

    @property
    def target_id(self) -> str:
        """The case or suite this spec runs."""
        return str(self.suite_id if self.suite_id is not None else self.simulation_case_id)


class RunOptions(BaseModel):
    """Per-run options: variables merged over the spec's `custom_variables` (single case only)."""

    model_config = ConfigDict(extra="forbid")

    custom_variables: FreeForm | None = Field(
        default=None,
        description="Merged over simulation.custom_variables; a suite run takes none.",
    )


def coerce_request[ModelT: BaseModel](
    model: type[ModelT], value: BaseModel | Mapping[str, Any], field: str
) -> ModelT:
    """`value` as our request model; a foreign or invalid one is refused naming the field."""
    if isinstance(value, model):
        return value
    data = (
        value.model_dump(mode="json", exclude_unset=True) if isinstance(value, BaseModel) else value
    )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{field}.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ProviderRejected(
            ProviderName.SYNTHFLOW.value, problems, operation="validate"
        ) from exc
