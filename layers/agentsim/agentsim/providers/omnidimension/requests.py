"""OmniDimension request bodies, validated before anything is sent.

Sources: OmniDimension's API reference (the Create, Update and Get simulation pages under
https://docs.omnidim.io/docs/api-reference/simulation/, and the OpenAPI document
https://docs.omnidim.io/openapi.yaml) and the official Python SDK, `omnidimension` 0.6.0 on PyPI
(`omnidimension/Simulation/__init__.py`).

Decisions:
- `agent_id` (and a scenario's `id`) is a positive integer, as the API types it and the SDK checks
  with `isinstance(int)`. A string of decimal digits (`"158910"`) is also accepted and sent as the
  integer: ids get copied out of dashboards and URLs as text, and the meaning is unambiguous.
  Anything else (`"abc"`, `1.5`, `158910.0`, `true`) is rejected naming the field.
- The counts are strict integers within the documented ranges: `number_of_call_to_make` 1..3,
  `concurrent_call_count` 1..3, `max_call_duration_in_minutes` 1..10. Unset counts are not sent,
  so OmniDimension applies its own defaults (1, 3 and 3).
- Voice providers: the OpenAPI enum is eleven_labs | play_ht | deepgram | cartesia | rime and the
  SDK validator allows eleven_labs | deepgram | cartesia | rime | inworld (its own docstring
  example uses play_ht). We accept the union of both lists.
- `scenarios` is required and non-empty: a simulation without scenarios cannot be started.
  Update takes the FULL list: a scenario with `id` is kept (and updated), one without is added,
  and an existing scenario left out is dropped by OmniDimension.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictInt,
    StrictStr,
)

from agentsim.providers.request_body import RequestBody, with_examples
from agentsim.providers.storable import MAX_INT64

DEFAULT_CALLS_PER_SCENARIO = 1
DEFAULT_CONCURRENT_CALLS = 3
DEFAULT_CALL_MINUTES = 3
MAX_CALLS_PER_SCENARIO = 3
MAX_CONCURRENT_CALLS = 3
MAX_CALL_MINUTES = 10

VoiceProvider = Literal["eleven_labs", "play_ht", "deepgram", "cartesia", "rime", "inworld"]
"""The OpenAPI enum (with play_ht) united with the SDK's validator list (with inworld)."""


def _digits_to_int(value: object) -> object:
    """A string of ASCII decimal digits as its int; everything else left for StrictInt to judge."""
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdecimal():
            return int(text)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


IntId = Annotated[StrictInt, BeforeValidator(_digits_to_int), Field(gt=0, le=MAX_INT64)]
"""An OmniDimension id: a positive int, or a string of digits sent as that int."""

Text = Annotated[StrictStr, AfterValidator(_not_blank)]
CallCount = Annotated[StrictInt, Field(ge=1, le=MAX_CALLS_PER_SCENARIO)]
Concurrency = Annotated[StrictInt, Field(ge=1, le=MAX_CONCURRENT_CALLS)]
CallMinutes = Annotated[StrictInt, Field(ge=1, le=MAX_CALL_MINUTES)]


class _Request(RequestBody):
    """Sends only the fields with a value (OmniDimension applies its defaults to the rest)."""

    sends = "valued"


class Voice(_Request):
    """One voice the caller may speak with; one of several is picked at random per call."""

    id: Text = Field(description="Voice id at the voice provider.")
    provider: VoiceProvider


class Scenario(_Request):
    """One test scenario: the caller's script and what the agent should achieve."""

    id: IntId | None = Field(
        default=None, description="Existing scenario to keep/update (update only); omit to add."
    )
    name: Text
    description: Text = Field(description="Instructions for the simulated caller.")
    expected_result: Text = Field(description="What the agent should do.")
    selected_voices: list[Voice] | None = None


def _unique_ids(scenarios: list[Scenario]) -> list[Scenario]:
    """A scenario id may appear once: twice would update one scenario with two bodies."""
    seen: set[int] = set()
    for scenario in scenarios:
        if scenario.id is None:
            continue
        if scenario.id in seen:
            raise ValueError(f"scenario id {scenario.id} is listed twice")
        seen.add(scenario.id)
    return scenarios


Scenarios = Annotated[list[Scenario], Field(min_length=1), AfterValidator(_unique_ids)]


class SimulationSpec(_Request):
    """The create-simulation body (`POST /simulations`); also the full update body."""

    model_config = with_examples(
        {
            "name": "Restaurant Order Taking Test",
            "agent_id": 158910,
            "number_of_call_to_make": 1,
            "concurrent_call_count": 3,
            "max_call_duration_in_minutes": 3,
            "scenarios": [
                {
                    "name": "Order Pizza",
                    "description": "Act as a customer ordering a large pizza.",
                    "expected_result": "The order is placed and confirmed.",
                    "selected_voices": [{"id": "voice_id_1", "provider": "eleven_labs"}],
                }
            ],
        }
    )

    name: Text
    agent_id: IntId = Field(description="The OmniDimension agent under test (an integer).")
    number_of_call_to_make: CallCount | None = Field(
        default=None, description="Calls per scenario, 1..3 (OmniDimension default 1)."
    )
    concurrent_call_count: Concurrency | None = Field(
        default=None, description="Calls at the same time, 1..3 (OmniDimension default 3)."
    )
    max_call_duration_in_minutes: CallMinutes | None = Field(
        default=None, description="Longest call, 1..10 minutes (OmniDimension default 3)."
    )
    scenarios: Scenarios


class SimulationUpdate(_Request):
    """The update body (`PUT /simulations/{id}`): all optional, `scenarios` the full list."""

    name: Text | None = None
    agent_id: IntId | None = None
    number_of_call_to_make: CallCount | None = None
    concurrent_call_count: Concurrency | None = None
    max_call_duration_in_minutes: CallMinutes | None = None
    scenarios: Scenarios | None = None


class RunOptions(_Request):
    """The start body (`POST /simulations/{id}/start`): optionally the scenarios to run.

    The OpenAPI documents an optional `{"scenarios": [...]}` (update's shape) that replaces the
    simulation's scenarios before the run; the SDK always sends `{}`, which is what an empty
    RunOptions sends too.
    """

    scenarios: Scenarios | None = Field(
        default=None,
        description="Full scenario list to set before starting (ids keep existing scenarios).",
    )
