"""Bluejay request bodies, validated before anything is sent.

Sources: Bluejay's API reference (the Create Simulation page,
https://docs.getbluejay.ai/api-reference/endpoint/create-simulation, and its OpenAPI
`SimulationRequest`) and the official SDK, `bluejay-sdk` 0.3.6 on PyPI (its models
`SimulationRequest`, `UpdateSimulationRequest`, `SrcAPIQueueSimulationRunSimulationRunRequest`,
`EndConversationsRequest`).

Decisions:
- `agent_id` is a strict, non-empty string: the API types it `str` and FastAPI (pydantic v2)
  rejects a JSON number there, so we reject it up front with the same message.
- `digital_human_ids` are strings on the wire; ints are accepted and stringified, because
  Bluejay's ids are ints everywhere else.
- Only the fields the caller set are sent (`exclude_unset`): the server applies its defaults.
- Update (`PUT /v1/simulation/{id}`) is partial. It sends the spec's fields minus `agent_id`
  (a simulation cannot move to another agent; the adapter checks it matches instead) and minus
  `sequential_calling` (deprecated, absent from every update body: setting it is rejected).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BeforeValidator, Field, StrictStr

from agentsim.providers.lenient import id_to_str
from agentsim.providers.request_body import RequestBody
from agentsim.providers.storable import MAX_INT32, MAX_INT64, FreeForm

TextId = Annotated[StrictStr, BeforeValidator(id_to_str), Field(min_length=1)]
"""An id sent as a string; an int (never a bool) is stringified, so `45` and `"45"` are one id."""
ResultId = Annotated[int, Field(gt=0, le=MAX_INT64)]


class _Request(RequestBody):
    """Sends only what the caller set."""


class DigitalHumansSettings(_Request):
    """Defaults for the digital humans Bluejay generates for a simulation."""

    default_name: str | None = "random"
    default_caller_number: str | None = "random"
    default_language: str | None = "random"
    default_background_noise: str | None = "none"
    first_message: str | None = "ai_generated"
    num_runs: int | None = Field(default=1, ge=1, le=MAX_INT32)


class SimulationSpec(_Request):
    """The create-simulation body (`POST /v1/create-simulation`). Only `agent_id` is required."""

    agent_id: Annotated[StrictStr, Field(min_length=1)]
    name: str | None = None
    description: str | None = None
    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    sequential_calling: bool | None = Field(default=None, description="Deprecated by Bluejay.")
    max_concurrent: int | None = Field(default=None, gt=0, le=500)
    hangup_on_transfer: bool | None = None
    max_call_duration: int | None = Field(default=None, gt=0, le=MAX_INT32)
    max_call_duration_units: Literal["minutes", "seconds"] | None = None
    ringing_timeout: int | None = Field(default=None, gt=0, le=MAX_INT32)
    digital_humans_settings: DigitalHumansSettings | None = None
    selected_custom_metrics: list[UUID] | None = None
    custom_metrics_failing_threshold: int | None = Field(default=None, ge=0, le=100)
    custom_metrics_passing_threshold: int | None = Field(default=None, ge=0, le=100)
    always_on: bool | None = None
    runs_per_digital_human: int | None = Field(
        default=None,
        ge=1,
        le=MAX_INT32,
        description="bluejay-sdk 0.3.6 only; not in the OpenAPI snapshot.",
    )


NOT_UPDATABLE = frozenset({"sequential_calling"})
"""Spec fields no update body accepts; setting one on an update is an error, not a no-op."""


def update_body(spec: SimulationSpec) -> dict[str, Any]:
    """The partial PUT body for an existing simulation: every field the caller set but agent_id.

    Raises ValueError naming the field when the spec sets something an update cannot change.
    """
    blocked = sorted(f for f in NOT_UPDATABLE if getattr(spec, f) is not None)
    if blocked:
        raise ValueError(f"{blocked[0]}: cannot be changed on an existing Bluejay simulation")
    body = spec.body()
    for field in ("agent_id", *NOT_UPDATABLE):
        body.pop(field, None)
    return body


class RunOptions(_Request):
    """queue-simulation-run fields other than `simulation_id` (the adapter supplies it).

    Leaving out `digital_human_ids` runs every digital human attached to the simulation.
    """

    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    digital_human_ids: list[TextId] | None = Field(default=None, min_length=1)
    phone_number: str | None = None
    sip_uri: str | None = None
    livekit_agent_name: str | None = None
    livekit_metadata: FreeForm | None = None
    pipecat_agent_name: str | None = None
    pipecat_agent_configuration: FreeForm | None = None
    pipecat_room_properties: FreeForm | None = None
    eleven_labs_agent_id: str | None = None
    retell_agent_id: str | None = None
    vapi_assistant_id: str | None = None
    runs_per_digital_human: int | None = Field(default=None, ge=1, le=MAX_INT32)


class QueueSimulationRun(RunOptions):
    """The queue-simulation-run body: the simulation id travels as a string."""

    simulation_id: TextId


class EndConversations(_Request):
    """`POST /v1/end-conversations`: at least one test result id."""

    test_result_ids: list[ResultId] = Field(min_length=1)
