"""What the use cases need from the outside world, as small interfaces.

The DynamoDB implementations are `run_store`, `item_store`, `claims` and `body_claims`; the
Step Functions and EventBridge ones are in `aws.py`; the provider factory is built from the
stack's secret by `wiring.py`. Use cases receive these, so tests can hand them moto-backed ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from agentsim.providers.base import AnyProvider, ProviderName

if TYPE_CHECKING:
    from agentsim.delivery.attempts import DeliveryAttempt
    from agentsim.providers.base import CaseResult
    from agentsim.runs.item_store import CasePage
    from agentsim.runs.record import Change, RunRecord, RunStatus
    from agentsim.runs.run_list import RunPage, RunQuery
    from agentsim.runs.run_store import LaunchedRun

ProviderFactory = Callable[[ProviderName], AnyProvider]
"""A provider adapter with its API key, ready to use (and to close)."""


class RunStore(Protocol):
    """The runs: one record each, written only by conditional `Change`s."""

    def launched(self, run_id: str) -> LaunchedRun:
        """What polling a running run needs (read once, then remembered)."""

    def create(self, record: RunRecord) -> bool:
        """Store a new run; False (nothing written) when its run id exists."""

    def create_or_get(self, record: RunRecord) -> tuple[RunRecord, bool]:
        """Store `record` unless its run id exists: (the run as it stands, whether it is new)."""

    def find(self, run_id: str) -> RunRecord | None: ...

    def get(self, run_id: str) -> RunRecord:
        """The run; RunNotFound when there is none."""

    def get_many(self, run_ids: Sequence[str]) -> list[RunRecord]:
        """The runs, in the order asked (read in batches); RunNotFound for a missing one."""

    def change(self, run_id: str, change: Change) -> RunRecord:
        """Apply `change` if the run's status allows; the record after it."""

    def apply(self, run_id: str, change: Change) -> None:
        """`change`, returning nothing."""

    def list_runs(self, query: RunQuery) -> RunPage:
        """One page of runs, newest first."""

    def series_before(self, record: RunRecord, limit: int) -> list[RunRecord]:
        """Up to `limit` COMPLETED runs of the record's series created before it, newest first."""

    def latest_completed(self, series: str, limit: int) -> list[RunRecord]:
        """The newest `limit` COMPLETED runs of `series`, newest first."""

    def add_delivery(self, run_id: str, attempt: DeliveryAttempt) -> None:
        """Append one delivery attempt to the run's record."""

    def series_until(self, record: RunRecord, limit: int) -> list[RunRecord]:
        """Up to `limit` COMPLETED runs of the record's series up to it, itself included."""


class StatusLog(Protocol):
    def record_status(self, run_id: str, status: RunStatus, at: datetime, note: str | None) -> None:
        """One history line: the run reached `status` at `at`."""


class ItemStore(StatusLog, Protocol):
    """A run's items: its cases, in call order, and its status history."""

    def history(self, run_id: str) -> list[dict[str, Any]]: ...

    def put_cases(self, run_id: str, cases: Sequence[CaseResult]) -> int:
        """Store the cases (a retry overwrites them); how many."""

    def cases(self, run_id: str) -> list[dict[str, Any]]: ...

    def case_page(self, run_id: str, *, limit: int, next_token: str | None = None) -> CasePage:
        """Up to `limit` cases; `next_token` continues."""


class Executions(Protocol):
    """Workflow executions, named after their run id."""

    def start(self, run_id: str, payload: Mapping[str, Any]) -> None:
        """Start the run's execution; an execution of that name already existing is fine."""

    def stop(self, run_id: str, cause: str) -> None:
        """Stop the run's execution if it is still running."""


class FinishedEvents(Protocol):
    def publish(self, detail: Mapping[str, Any]) -> None:
        """Announce `SimulationRunFinished` with `detail`."""


class BodyClaims(Protocol):
    """Which run a webhook body started, for as long as it counts as a repeat (`window`)."""

    window: timedelta

    def claim(self, digest: str, run_id: str, *, at: datetime) -> str:
        """Name `run_id` the run of the body `digest` for `window` from `at`, unless a claim
        still in its window names another: the run id the body belongs to."""


class LaunchClaims(Protocol):
    """Which run follows which provider launch, and which run is launching in a scope."""

    def claim(self, key: str, run_id: str, *, reusable: bool = False) -> bool:
        """Make `run_id` the one run following launch `key`; False when another run is."""

    def unclaim(self, key: str, run_id: str) -> None:
        """Drop `run_id`'s claim on `key`, if it holds it."""

    def owner(self, key: str) -> str | None:
        """The run following launch `key`, if any."""

    def hold(self, scope: str, run_id: str) -> None:
        """Be the one run launching in `scope` (waits a little; LaunchBusy when it cannot)."""

    def release(self, scope: str, run_id: str) -> None:
        """Let `scope` go, if `run_id` holds it."""


class CallbackLog(Protocol):
    """What providers called back about: a run's results that came back, deliveries handled."""

    def record_result(self, run_id: str, result_id: str, at: datetime) -> None: ...

    def results(self, run_id: str) -> set[str]: ...

    def seen(self, provider: str, delivery: str) -> bool: ...

    def mark(self, provider: str, delivery: str, run_id: str | None, at: datetime) -> None: ...


class Wakes(Protocol):
    """Ends a workflow's wait by its task token: the wait for a provider's callback
    (`WaitForCallback`), or the wait the polls outside the workflow follow (`WaitForEnd`).
    Each answers False when the wait had ended already (timed out, woken)."""

    def wake(self, token: str) -> bool:
        """End the wait for a callback: the results are in."""

    def resume(self, token: str, output: Mapping[str, Any]) -> bool:
        """End the wait with `output` (the last poll's step) as its result."""

    def fail(self, token: str, error: str, cause: str) -> bool:
        """End the wait with `error` (the name the workflow's Catch matches) and its `cause`."""

    def beat(self, token: str) -> bool:
        """Tell the wait its polls go on (its `HeartbeatSeconds` restart)."""


class Rechecks(Protocol):
    """The polls outside the workflow: each one is a message delivered after a delay."""

    def send(self, body: str, delay_seconds: int) -> None:
        """Deliver `body` to the next poll in `delay_seconds`."""
