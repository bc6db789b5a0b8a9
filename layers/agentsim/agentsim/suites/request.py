"""The suite request: `{"suite": {"name", "runs": [request, ...]}, "gate", "labels",
"concurrency", "notify", "github"}`, accepted from `POST /suites`, a `StartSuite` event or a
schedule's input.

Each run is a request envelope as `POST /simulations` takes it (`agentsim.runs.envelope`),
validated the same way, with the suite's defaults filled in first: the suite's `gate` for a run
without one (on providers that grade), its `labels` under the run's own, and a series named
after the suite (`<suite name>/<the run's default series>`, numbered when two runs of a suite
would share one), so each child compares with the same child of the suite's previous run.
A bad field is named by its path in the suite (`suite.runs.3.simulation.agent_id`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from agentsim.delivery.targets import (
    GITHUB_FIELD,
    NOTIFY_FIELD,
    NOTIFY_URL_PATH,
    GithubTarget,
    NotifyTarget,
)
from agentsim.providers.base import JsonObject, ProviderName
from agentsim.runs.envelope import TOO_LARGE_TO_STORE, AnyRunRequest, too_large_to_store
from agentsim.runs.errors import Problem, RequestInvalid
from agentsim.runs.gate import Gate
from agentsim.runs.labels import MAX_LABELS, LabelKey, LabelValue
from agentsim.runs.series import MAX_SERIES
from agentsim.runs.validation import validated

MAX_SUITE_RUNS = 500
MAX_CONCURRENCY = 40
"""An inline Map state runs at most 40 iterations at once
(https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html)."""
UNGRADED = frozenset({ProviderName.OMNIDIMENSION})
"""Providers that grade nothing: a suite's gate is not given to their runs."""

SuiteName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class SuiteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: SuiteName = Field(description="Names the suite; its runs' series start with it.")
    runs: list[AnyRunRequest] = Field(
        min_length=1,
        max_length=MAX_SUITE_RUNS,
        description="Run requests as `POST /simulations` takes them, any providers.",
    )


class SuiteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: SuiteSpec
    gate: Gate | None = Field(
        default=None, description="The gate of every run (of a provider that grades) without one."
    )
    labels: dict[LabelKey, LabelValue] = Field(
        default_factory=dict,
        max_length=MAX_LABELS,
        description="Labels of the suite, given to each of its runs (a run's own win).",
    )
    concurrency: dict[ProviderName, Annotated[int, Field(ge=1, le=MAX_CONCURRENCY)]] = Field(
        default_factory=dict,
        description="Runs in flight at once per provider (default: the stack's SuiteConcurrency).",
    )
    notify: NotifyTarget | None = NOTIFY_FIELD
    """The suite's own: told of the suite's end (each run has its own, if any)."""
    github: GithubTarget | None = GITHUB_FIELD
    """The suite's own commit status, context `agentsim/suite/<name>`."""

    @model_validator(mode="before")
    @classmethod
    def _suite_defaults(cls, data: Any) -> Any:
        """The suite's gate and labels given to each run that can take them (raw JSON)."""
        if not isinstance(data, Mapping):
            return data
        suite = data.get("suite")
        if not isinstance(suite, Mapping) or not isinstance(suite.get("runs"), list):
            return data
        runs = suite["runs"]
        # a bad suite gate or labels is named once, by its own path, not again in every run
        gate = _valid(_GATE, data.get("gate"))
        labels = _valid(_LABELS, data.get("labels"))
        filled = [_with_defaults(run, gate, labels) for run in runs]
        return {**data, "suite": {**suite, "runs": filled}}

    @model_validator(mode="after")
    def _named_series(self) -> Self:
        runs = self.suite.runs
        seen: Counter[str] = Counter()
        for index, run in enumerate(runs):
            if run.series is not None:
                continue
            default = f"{self.suite.name}/{run.series_name()}"[:MAX_SERIES]
            seen[default] += 1
            # the number survives a default cut to length: two runs never share a series
            suffix = "" if seen[default] == 1 else f"#{seen[default]}"
            series = default[: MAX_SERIES - len(suffix)] + suffix
            runs[index] = run.model_copy(update={"series": series})
        return self

    def stored(self) -> JsonObject:
        """The suite's own fields for its record (each run is stored in its own record)."""
        return self.model_dump(mode="json", exclude_unset=True, exclude={"suite": {"runs"}})

    @property
    def runs(self) -> list[AnyRunRequest]:
        return self.suite.runs

    def called_urls(self) -> dict[str, str]:
        """The suite's own URLs this stack would call, by their path in the request."""
        return {} if self.notify is None else {NOTIFY_URL_PATH: self.notify.url}


def _with_defaults(run: Any, gate: Any, labels: Any) -> Any:
    if not isinstance(run, Mapping):
        return run
    filled = dict(run)
    if gate is not None and "gate" not in filled and run.get("provider") not in UNGRADED:
        filled["gate"] = gate
    own = run.get("labels")
    if isinstance(labels, Mapping) and labels and (own is None or isinstance(own, Mapping)):
        # a run's labels that are not an object are left to be refused by their path
        filled["labels"] = {**labels, **(own or {})}
    return filled


def _valid(adapter: TypeAdapter[Any], value: Any) -> Any:
    """`value` if `adapter` accepts it, else None (its own field's validation names it)."""
    try:
        adapter.validate_python(value)
    except ValidationError:
        return None
    return value


_GATE: TypeAdapter[Gate | None] = TypeAdapter(Gate | None)
_LABELS: TypeAdapter[dict[LabelKey, LabelValue] | None] = TypeAdapter(
    dict[LabelKey, LabelValue] | None
)
_ADAPTER: TypeAdapter[SuiteRequest] = TypeAdapter(SuiteRequest)


def parse_suite(data: Any) -> SuiteRequest:
    """Validate `data` (a mapping) as a suite request; RequestInvalid naming each bad field."""
    request = validated(_ADAPTER, data)
    check_stored_sizes(request)
    return request


def check_stored_sizes(request: SuiteRequest) -> None:
    """RequestInvalid naming each run too large to store in its record."""
    problems = [
        Problem(f"suite.runs.{index}", TOO_LARGE_TO_STORE)
        for index, run in enumerate(request.runs)
        if too_large_to_store(run)
    ]
    if problems:
        raise RequestInvalid(problems)
