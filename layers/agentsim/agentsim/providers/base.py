"""The provider-neutral contract every provider adapter fulfils.

The workflow only ever sees these: a prepared handle (what `prepare` made: free, nothing runs),
a launched handle (what `launch` started: paid), a `PollResult` per poll and `SimulationResults`
at the end. Handles are typed per provider (`<provider>/handles.py`, subclasses of `Handle`) and
stored in the run record as the tagged unions of `agentsim.providers.handles`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Unpack

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

if TYPE_CHECKING:
    from agentsim.providers.client import ProviderClient
    from agentsim.providers.http import HttpOptions

JsonObject = dict[str, JsonValue]
"""A JSON object as a provider sent it (raw payloads, transcripts): stored as it is."""


class ProviderName(StrEnum):
    OMNIDIMENSION = "omnidimension"
    BLUEJAY = "bluejay"
    SYNTHFLOW = "synthflow"


class SimulationStatus(StrEnum):
    """Normalized lifecycle status of a provider simulation run."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    STOPPED = "STOPPED"

    @property
    def terminal(self) -> bool:
        return self in {
            SimulationStatus.COMPLETED,
            SimulationStatus.FAILED,
            SimulationStatus.STOPPED,
        }


class CaseVerdict(StrEnum):
    """Verdict of one call or case. NONE: the provider gives no pass/fail for it."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    NONE = "NONE"


class Handle(BaseModel):
    """One provider simulation as the workflow keeps it between steps (JSON in the run record).

    `simulation_id` is the provider's simulation (OmniDimension simulation, Bluejay simulation,
    Synthflow case, suite, simulation or session); `run_id` the provider's run when it has one;
    `kind` tells the shapes of one provider apart (Synthflow). A subclass per provider and kind
    adds what that provider needs later, as typed fields.
    """

    # Only the subclasses are validated: this class's own validator is never built.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    provider: ProviderName
    simulation_id: str
    run_id: str | None = None
    kind: str = "simulation"

    @model_validator(mode="before")
    @classmethod
    def _lift_extra(cls, data: Any) -> Any:
        """A handle stored before handles were typed kept its provider fields under `extra`
        (a run in flight across the deploy): they are the subclass's fields, by name."""
        if isinstance(data, dict) and isinstance(data.get("extra"), dict):
            return {**data["extra"], **{k: v for k, v in data.items() if k != "extra"}}
        return data


@dataclass(frozen=True)
class LaunchCandidate[L: Handle]:
    """A launch the provider shows that may be the one an ambiguous start made.

    `key` names the launch provider-wide (`bluejay:run:789`): the run that follows it claims it
    under that key first, and a launch claimed by another run is never followed. `settled` is
    False for a launch that may still be filling up (a Synthflow session listing only some of
    the suite's cases so far): never followed, but a reason to look again rather than launch.
    """

    run: L
    key: str
    settled: bool = True


class PollResult(BaseModel):
    status: SimulationStatus
    progress: int = Field(ge=0, le=100)
    fraction: float | None = Field(default=None, ge=0, le=1)
    """How far the run is by the provider's own measure (records, results or simulations
    done), or None when its answer measures nothing (`progress` then shows a placeholder)."""
    provider_status: str
    message: str | None = None


class CaseResult(BaseModel):
    """One call (OmniDimension, Bluejay) or case run (Synthflow)."""

    case_id: str
    name: str | None = None
    case_key: str | None = None
    """What names this case across runs of a series (the provider's scenario, test identity or
    case); `key` falls back to the name, then to this run's own id for it."""
    verdict: CaseVerdict
    status: str | None = None
    reasoning: str | None = None
    transcript: list[JsonObject] | None = None
    transcript_url: str | None = None
    recording_url: str | None = None
    duration_seconds: float | None = None
    raw: JsonObject = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.case_key or self.name or self.case_id


class SimulationResults(BaseModel):
    """Totals and per-case records. `has_verdicts` is False when the provider grades nothing."""

    total: int = Field(ge=0)
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    has_verdicts: bool
    summary: str | None = None
    cases: list[CaseResult] = Field(default_factory=list)
    raw: JsonObject = Field(default_factory=dict)


class SimulationProvider[P: Handle, L: Handle](ABC):
    """What the workflow needs of a provider: one subclass per provider, `P` its prepared
    handle and `L` its launched one.

    Starting is split in two so a retry can never launch a second paid run: `prepare`
    (create or update the simulation: free, a duplicate Draft costs nothing) and `launch`
    (start/queue: paid). The workflow stores the prepared handle before launching; after an
    ambiguous launch failure it asks `launch_candidates` whether the provider started it anyway.
    No provider takes an idempotency key, so a candidate is only recognised by where and when it
    was made: the workflow launches one run at a time per `launch_scope` and claims every launch
    by its `launch_key`, so an unclaimed candidate found in its own scope is its own.
    """

    name: ClassVar[ProviderName]
    reuses_launch_keys: ClassVar[bool] = False
    """True when every launch of a simulation has the same key (an OmniDimension simulation is
    its own run): its claim then passes on once the run that held it has ended."""

    @abstractmethod
    def prepare(
        self, simulation: BaseModel | None, *, simulation_id: str | None = None, attempts: int = 1
    ) -> P:
        """Create (no id), update (both) or just look up (id only) the provider simulation.

        `attempts`: how many times `launch` makes each case (a run's `repeat.times`), with the
        provider's own repetition: set on the simulation here, or kept in the handle for launch.
        """

    @abstractmethod
    def launch(self, prepared: P, run: BaseModel | None, *, idempotency_key: str) -> L:
        """Start or queue the prepared simulation. Never retried after an ambiguous failure."""

    @abstractmethod
    def launch_scope(self, prepared: P, *, idempotency_key: str) -> str:
        """Where launches of `prepared` could be mistaken for one another (what
        `launch_candidates` searches: a Bluejay simulation, a Synthflow agent's suite)."""

    @abstractmethod
    def launch_key(self, run: L) -> str:
        """The provider-wide name of a launched run, which the run following it claims."""

    def launch_key_ahead(self, prepared: P, *, idempotency_key: str) -> str | None:
        """A key the launch will be known by, when it can be told before launching (claimed
        before the paid call); None when only the provider's answer names the launch."""
        return None

    @abstractmethod
    def launch_candidates(
        self, prepared: P, *, idempotency_key: str, attempted_at: datetime
    ) -> list[LaunchCandidate[L]]:
        """Launches of `prepared` the provider shows since `attempted_at`, likeliest first."""

    def find_launch(self, prepared: P, *, idempotency_key: str, attempted_at: datetime) -> L | None:
        """The likeliest settled candidate. Only for a caller alone in its scope: the workflow
        claims candidates instead (`agentsim.runs.start`), so it never takes another run's."""
        candidates = self.launch_candidates(
            prepared, idempotency_key=idempotency_key, attempted_at=attempted_at
        )
        return next((c.run for c in candidates if c.settled), None)

    @abstractmethod
    def poll(self, run: L) -> PollResult: ...

    @abstractmethod
    def results(self, run: L) -> SimulationResults: ...

    @abstractmethod
    def stop(self, run: L) -> None:
        """Ask the provider to stop. Raises ProviderRejected when it refuses."""

    @abstractmethod
    def expected_duration_seconds(
        self, simulation: BaseModel | None, run: BaseModel | None
    ) -> float:
        """Best guess of how long a run takes, used to pace polling."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> SimulationProvider[P, L]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


AnyProvider = SimulationProvider[Any, Any]
"""A provider picked by name at run time: the record's handles are of its own kind."""


class ClientProvider[C: ProviderClient, P: Handle, L: Handle](SimulationProvider[P, L]):
    """An adapter over one raw provider client (`client_class`), which it makes with the key,
    base URL and transport options it is given, and owns: `close` closes the client. Its
    `name` is the client's `provider`, so the two never disagree."""

    client_class: type[C]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "client_class" in vars(cls):
            cls.name = cls.client_class.provider

    def __init__(
        self, api_key: str, *, base_url: str | None = None, **options: Unpack[HttpOptions]
    ) -> None:
        self.client = self.client_class(api_key, base_url=base_url, **options)

    def close(self) -> None:
        self.client.close()


def as_request[M: BaseModel](model: type[M], value: BaseModel | None) -> M | None:
    """`value` as the provider's own request model: another model is re-validated from the
    fields it set (pydantic's ValidationError when they do not fit)."""
    if value is None or isinstance(value, model):
        return value
    return model.model_validate(value.model_dump(exclude_unset=True))
