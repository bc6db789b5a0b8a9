"""Domain errors. Their class names reach Step Functions (Lambda `errorType`) and the API's
exception handlers, so they are part of the contract; only `LaunchBusy` is retryable (the
state machine's Start step retries it by name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentsim.runs.record import RunRecord


@dataclass(frozen=True)
class Problem:
    """One bad field: a dotted path into the request (`simulation.agent_id`) and what is wrong."""

    path: str
    problem: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "problem": self.problem}


class RunError(Exception):
    """Base class of everything the run domain refuses."""


class RequestInvalid(RunError):
    """The request envelope failed validation; `problems` names every bad field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        listed = "; ".join(f"{p.path or '(request)'}: {p.problem}" for p in problems)
        super().__init__(f"invalid request: {listed}")


class RequestRefused(RunError):
    """The request cannot be read at all (its bytes, size or media type): `status` says which.

    Raised before the envelope is validated, so `problems` name a part of the request (`body`,
    `headers.Content-Type`), never a field of a document that could not be read.
    """

    status = 400

    def __init__(self, message: str, problems: list[Problem]) -> None:
        self.message = message
        self.problems = problems
        super().__init__(message)


class BodyMalformed(RequestRefused):
    """The body is not a JSON document in UTF-8 (or nests past the parser's limit)."""

    status = 400


class BodyTooLarge(RequestRefused):
    status = 413


class MediaTypeUnsupported(RequestRefused):
    status = 415


class RunNotFound(RunError):
    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"run {run_id} does not exist")


class TransitionRefused(RunError):
    """A conditional write lost: the run is no longer in a status the change may start from,
    or (a poll's write) a newer poll wrote first; `poll_count` is the run's as stored."""

    def __init__(
        self, run_id: str, current: str | None, wanted: str | None = None, poll_count: int = 0
    ) -> None:
        self.run_id = run_id
        self.current = current
        self.wanted = wanted
        self.poll_count = poll_count
        target = f" to {wanted}" if wanted else ""
        super().__init__(f"run {run_id} is {current}; it cannot move{target}")


class RunAlreadyFinished(TransitionRefused):
    """The run reached a terminal status; nothing may change it any more.

    `record` is the run as stored: final, since a terminal record never changes again.
    """

    def __init__(self, record: RunRecord, wanted: str | None = None) -> None:
        self.record = record
        super().__init__(record.run_id, record.status.value, wanted)


class RunNotLaunched(RunError):
    """A step that needs the provider's handle ran before the simulation was launched."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"run {run_id} has no launched simulation to poll or collect")


class InvalidPageToken(RunError):
    """A page token that this API did not issue for this listing (forged, altered, foreign)."""

    def __init__(self) -> None:
        super().__init__("next_token is not a token this API returned")


class SecretInvalid(RunError):
    """The stack's secret is missing, not JSON, or lacks a value. Never carries the secret."""


class ApiKeyMissing(SecretInvalid):
    def __init__(self, provider: str) -> None:
        self.provider = provider
        super().__init__(
            f"no API key for {provider}: put it under {provider}_api_key in the stack's secret"
        )


class LaunchBusy(RunError):
    """Another run is launching in the same scope and its launch is not settled yet: launching
    now could make two launches nobody can tell apart. Retryable: the scope frees up."""

    def __init__(self, scope: str, holder: str) -> None:
        self.scope = scope
        self.holder = holder
        super().__init__(f"run {holder} is launching on {scope}; try again once it has settled")


class LaunchTaken(RunError):
    """The launch this run would follow is claimed by another run that is still going."""

    def __init__(self, run_id: str, key: str, owner: str | None) -> None:
        self.run_id = run_id
        self.key = key
        self.owner = owner
        super().__init__(f"run {run_id} cannot follow {key}: run {owner} follows it")
