"""The request envelope every trigger accepts, validated the same way for all of them.

`{provider, simulation?, simulation_id?, run?, gate?, series?, baseline?, repeat?, labels?,
timeout_minutes?, notify?, github?}`: a union
(`AnyRunRequest`) discriminated by `provider`, one class per provider, where `simulation` and
`run` are that provider's own `SimulationSpec` / `RunOptions` (provider-native fields). Either
`simulation` (create, or update when `simulation_id` is given too) or `simulation_id` (start an
existing one) is required.

Every failure becomes a `Problem` per bad field with a dotted path (`simulation.agent_id`),
the provider tag that pydantic puts in union error locations removed. What the envelope accepts
can be stored and listed back: labels and free-form maps are bounded (`providers.storable`),
every number is one DynamoDB can hold, and the stored form has a size limit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)

from agentsim.delivery.targets import (
    GITHUB_FIELD,
    NOTIFY_FIELD,
    NOTIFY_URL_PATH,
    GithubTarget,
    NotifyTarget,
)
from agentsim.providers.base import JsonObject, ProviderName
from agentsim.providers.bluejay import requests as bluejay_requests
from agentsim.providers.omnidimension import requests as omnidimension_requests
from agentsim.providers.synthflow import requests as synthflow_requests
from agentsim.runs import repeat_rules
from agentsim.runs.errors import Problem, RequestInvalid, RequestRefused
from agentsim.runs.gate import Gate
from agentsim.runs.intake import BODY_PATH, document_problems, read_json
from agentsim.runs.labels import MAX_LABEL_KEY, MAX_LABEL_VALUE, MAX_LABELS, LabelKey, LabelValue
from agentsim.runs.record import DEFAULT_TIMEOUT_MINUTES
from agentsim.runs.repeat import Repeat
from agentsim.runs.repeat_rules import OmniDimensionRepeat
from agentsim.runs.series import (
    BASELINE_FIELD,
    SERIES_FIELD,
    BaselinePin,
    SeriesName,
    default_series,
)
from agentsim.runs.validation import validated

MAX_TIMEOUT_MINUTES = 1440
MAX_STORED_REQUEST_BYTES = 131_072
"""The stored form as compact JSON; DynamoDB holds that in at most about 1.5 times as many
bytes, so a run item stays well within its 400 KB limit."""
TOO_LARGE_TO_STORE = f"must be at most {MAX_STORED_REQUEST_BYTES} bytes as stored (JSON)"

SimulationId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)
]


class RunRequest(BaseModel):
    """Fields shared by every provider; one subclass per provider narrows the rest."""

    model_config = ConfigDict(extra="forbid")

    provider: ProviderName
    simulation_id: SimulationId | None = Field(
        default=None, description="An existing provider simulation to (update and) start."
    )
    simulation: BaseModel | None = Field(
        default=None,
        validate_default=True,
        description="Provider-native create/start fields (the provider's SimulationSpec).",
    )
    run: BaseModel | None = Field(
        default=None, description="Provider-native run options (the provider's RunOptions)."
    )
    gate: Gate | None = None
    series: SeriesName | None = SERIES_FIELD
    baseline: BaselinePin | None = BASELINE_FIELD
    repeat: Repeat | None = Field(
        default=None,
        description="Attempt every case `times` times; a case passes when `min_passes` of its "
        "attempts pass (the provider's own repetition).",
    )
    labels: dict[LabelKey, LabelValue] = Field(
        default_factory=dict,
        max_length=MAX_LABELS,
        description=f"Up to {MAX_LABELS} labels: keys [A-Za-z0-9_./-]{{1,{MAX_LABEL_KEY}}}, "
        f"values <= {MAX_LABEL_VALUE}.",
    )
    timeout_minutes: int = Field(
        default=DEFAULT_TIMEOUT_MINUTES,
        ge=1,
        le=MAX_TIMEOUT_MINUTES,
        description="Deadline of the run; past it the simulation is stopped (TIMED_OUT).",
    )
    notify: NotifyTarget | None = NOTIFY_FIELD
    github: GithubTarget | None = GITHUB_FIELD

    @field_validator("simulation")
    @classmethod
    def _simulation_or_id(cls, value: BaseModel | None, info: ValidationInfo) -> BaseModel | None:
        if value is None and "simulation_id" in info.data and info.data["simulation_id"] is None:
            raise ValueError(
                "required unless simulation_id is given: send simulation (create and start) "
                "or simulation_id (start an existing simulation)"
            )
        return value

    def stored(self) -> JsonObject:
        """The request as JSON for the run record (only what the caller set)."""
        return self.model_dump(mode="json", exclude_unset=True)

    @property
    def attempts(self) -> int:
        """How many times each case is attempted (`repeat.times`, else once)."""
        return self.repeat.times if self.repeat is not None else 1

    def called_urls(self) -> dict[str, str]:
        """The URLs the run will call on the caller's behalf, by the field that names them."""
        return {} if self.notify is None else {NOTIFY_URL_PATH: self.notify.url}

    def series_name(self) -> str:
        """Its `series`, or the default one of its provider and target."""
        return self.series or default_series(
            self.provider.value, self.simulation_id, self.simulation
        )


PROVIDER_FIELD = "The provider to run on."


class OmniDimensionRunRequest(RunRequest):
    provider: Literal[ProviderName.OMNIDIMENSION] = Field(description=PROVIDER_FIELD)
    simulation: omnidimension_requests.SimulationSpec | None = Field(
        default=None, validate_default=True
    )
    run: omnidimension_requests.RunOptions | None = None
    repeat: OmniDimensionRepeat | None = None

    @field_validator("repeat")
    @classmethod
    def _one_call_count(
        cls, value: OmniDimensionRepeat | None, info: ValidationInfo
    ) -> OmniDimensionRepeat | None:
        return repeat_rules.omnidimension(value, info.data.get("simulation"))

    @field_validator("gate")
    @classmethod
    def _nothing_to_gate(cls, value: Gate | None) -> Gate | None:
        if value is not None:
            raise ValueError(
                "omnidimension grades no call (no pass or fail per call): a gate could never "
                "pass; leave it out"
            )
        return value


class BluejayRunRequest(RunRequest):
    provider: Literal[ProviderName.BLUEJAY] = Field(description=PROVIDER_FIELD)
    simulation: bluejay_requests.SimulationSpec | None = Field(default=None, validate_default=True)
    run: bluejay_requests.RunOptions | None = None

    @field_validator("repeat")
    @classmethod
    def _one_run_count(cls, value: Repeat | None, info: ValidationInfo) -> Repeat | None:
        return repeat_rules.bluejay(value, info.data.get("run"))


class SynthflowRunRequest(RunRequest):
    provider: Literal[ProviderName.SYNTHFLOW] = Field(description=PROVIDER_FIELD)
    simulation: synthflow_requests.SimulationSpec | None = Field(
        default=None, validate_default=True
    )
    run: synthflow_requests.RunOptions | None = None

    @field_validator("repeat")
    @classmethod
    def _a_single_case(cls, value: Repeat | None, info: ValidationInfo) -> Repeat | None:
        if "simulation" not in info.data:
            return value  # simulation was invalid and is already reported
        return repeat_rules.synthflow(value, info.data["simulation"])


AnyRunRequest = Annotated[
    OmniDimensionRunRequest | BluejayRunRequest | SynthflowRunRequest,
    Field(discriminator="provider"),
]
"""The request envelope of any provider: the API's body type."""

_ADAPTER: TypeAdapter[AnyRunRequest] = TypeAdapter(AnyRunRequest)


def too_large_to_store(request: RunRequest) -> bool:
    """Whether its stored form (compact JSON in UTF-8) exceeds MAX_STORED_REQUEST_BYTES."""
    stored = json.dumps(request.stored(), ensure_ascii=False, separators=(",", ":"))
    return len(stored.encode("utf-8")) > MAX_STORED_REQUEST_BYTES


def parse_request(data: Any) -> AnyRunRequest:
    """Validate `data` (a mapping, or JSON text/bytes) as a request envelope."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if isinstance(data, bytes | bytearray):
        try:
            data = read_json(bytes(data))
        except RequestRefused as exc:  # here the body is the whole request: path ""
            problems = [
                Problem("" if p.path == BODY_PATH else p.path, p.problem) for p in exc.problems
            ]
            raise RequestInvalid(problems) from None
    if isinstance(data, Mapping) and (unstorable := document_problems(data)):
        raise RequestInvalid(unstorable)
    request = validated(_ADAPTER, data)
    if too_large_to_store(request):
        raise RequestInvalid([Problem("", TOO_LARGE_TO_STORE)])
    return request
