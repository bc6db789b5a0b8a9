"""Runs in DynamoDB: one `StoredRun` per run, every write conditional.

A write applies a `Change` only if the record exists and is in a status the change may start
from (`Change.sources`), so statuses only move forward and a late poll cannot overwrite a
terminal run. A lost condition becomes `TransitionRefused` carrying the status that won, or
`RunAlreadyFinished` carrying the final record. A status move is recorded in the run's history
(`history`) right after it (a function dying in between loses that history line, never the
status).

A warm poll reads nothing: what polling needs of a running run never changes once it is launched
(`launched`, remembered per store), and its write returns nothing (`apply`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import ClientError

from agentsim.delivery.attempts import DeliveryAttempt
from agentsim.providers.base import ProviderName
from agentsim.providers.handles import LaunchedHandle
from agentsim.runs.codec import attribute, condition_failed
from agentsim.runs.errors import RunAlreadyFinished, RunError, RunNotFound, TransitionRefused
from agentsim.runs.ports import StatusLog
from agentsim.runs.record import Change, RunRecord, RunStatus, utcnow
from agentsim.runs.run_list import RunPage, RunQuery, list_runs
from agentsim.runs.series_runs import completed_before
from agentsim.runs.stored import StoredRun
from agentsim.runs.table_calls import append_to_list, read_item
from agentsim.runs.tokens import PROCESS_TOKEN_KEY

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

LATEST = "~"
"""A list key after every other (they start with a time's digits)."""
BATCH_GET = 100
"""Keys one BatchGetItem call takes at most."""
LAUNCHED_RUNS_KEPT = 1024
"""Running runs whose launch facts one store remembers (least recently used go)."""


@dataclass(frozen=True)
class LaunchedRun:
    """What polling a running run needs, none of which changes once it runs: `start` stores the
    handle and expected duration as it moves the run to RUNNING, `register` the deadline before.
    """

    provider: ProviderName
    handle: LaunchedHandle
    expected_seconds: float | None
    deadline: datetime | None
    started_at: datetime | None = None


@dataclass
class DynamoRunStore:
    """`RunStore` in the runs table; status moves are logged to `history`."""

    client: DynamoDBClient
    table: str
    history: StatusLog
    clock: Callable[[], datetime] = utcnow
    token_key: Callable[[], bytes] = field(default=lambda: PROCESS_TOKEN_KEY, repr=False)
    """The page tokens' key, read when a token is made or checked (from the stack's secret)."""
    launched: Callable[[str], LaunchedRun] = field(init=False, repr=False, compare=False)
    """The launch facts of a running run (`LaunchedRun`): read once, then remembered by this
    store, so a warm function polls a run without reading it. Raises RunAlreadyFinished (with
    the record) for a run that ended, RunNotLaunched for one not launched: neither is kept."""

    def __post_init__(self) -> None:
        self.launched = functools.lru_cache(maxsize=LAUNCHED_RUNS_KEPT)(self._read_launched)

    def create(self, record: RunRecord) -> bool:
        """Store a new run; False (and nothing written) when the run id already exists."""
        try:
            self.client.put_item(
                TableName=self.table,
                Item=StoredRun.of(record).item(),
                ConditionExpression="attribute_not_exists(run_id)",
            )
        except ClientError as exc:
            if condition_failed(exc):
                return False
            raise
        self.history.record_status(record.run_id, record.status, record.created_at, "created")
        return True

    def create_or_get(self, record: RunRecord) -> tuple[RunRecord, bool]:
        """Store `record` unless its run id exists: (the run as it stands, whether it is new)."""
        if self.create(record):
            return record, True
        return self.get(record.run_id), False

    def find(self, run_id: str) -> RunRecord | None:
        item = read_item(self.client, self.table, {"run_id": run_id})
        return None if item is None else StoredRun.read(item)

    def get(self, run_id: str) -> RunRecord:
        record = self.find(run_id)
        if record is None:
            raise RunNotFound(run_id)
        return record

    def get_many(self, run_ids: Sequence[str]) -> list[RunRecord]:
        """The runs, in the order asked: BatchGetItem, 100 keys a call, consistent reads, keys
        DynamoDB left unprocessed asked again; RunNotFound for a run that does not exist."""
        found: dict[str, RunRecord] = {}
        unique = list(dict.fromkeys(run_ids))
        for start in range(0, len(unique), BATCH_GET):
            keys: list[Any] = [{"run_id": {"S": r}} for r in unique[start : start + BATCH_GET]]
            while keys:
                answer = self.client.batch_get_item(
                    RequestItems={self.table: {"Keys": keys, "ConsistentRead": True}}
                )
                returned: dict[str, Any] = dict(answer)
                for item in returned.get("Responses", {}).get(self.table, []):
                    record = StoredRun.read(dict(item))
                    found[record.run_id] = record
                left = returned.get("UnprocessedKeys", {}).get(self.table, {})
                keys = list(left.get("Keys", []))
        missing = next((r for r in unique if r not in found), None)
        if missing is not None:
            raise RunNotFound(missing)
        return [found[r] for r in run_ids]

    def list_runs(self, query: RunQuery) -> RunPage:
        """Newest first, filtered; `next_token` continues where this page stopped."""
        return list_runs(self.client, self.table, query, self.token_key)

    def series_before(self, record: RunRecord, limit: int) -> list[RunRecord]:
        """The COMPLETED runs of `record`'s series created before it, newest first."""
        if record.series is None:
            return []
        key = StoredRun.list_key(record)
        return completed_before(self.client, self.table, record.series, key, limit)

    def latest_completed(self, series: str, limit: int) -> list[RunRecord]:
        """The newest `limit` COMPLETED runs of `series`, newest first."""
        return completed_before(self.client, self.table, series, LATEST, limit)

    def series_until(self, record: RunRecord, limit: int) -> list[RunRecord]:
        """The COMPLETED runs of `record`'s series up to it (itself included), newest first."""
        if record.series is None:
            return [record] if record.status is RunStatus.COMPLETED else []
        key = StoredRun.list_key(record)
        return completed_before(self.client, self.table, record.series, key, limit, inclusive=True)

    def change(self, run_id: str, change: Change) -> RunRecord:
        """Apply `change` if the run's status allows: the record as stored after it."""
        return StoredRun.read(self._write(run_id, change, "ALL_NEW"))

    def apply(self, run_id: str, change: Change) -> None:
        """`change`, for a caller that needs nothing back: DynamoDB returns no attributes and
        nothing is validated (a refused condition still raises as in `change`)."""
        self._write(run_id, change, "NONE")

    def add_delivery(self, run_id: str, attempt: DeliveryAttempt) -> None:
        """Append `attempt` to the run's `deliveries` (whatever its status: a finished run's
        deliveries come after its end)."""
        if not append_to_list(self.client, self.table, {"run_id": run_id}, "deliveries", [attempt]):
            raise RunNotFound(run_id)

    def _read_launched(self, run_id: str) -> LaunchedRun:
        record = self.get(run_id)
        if record.terminal:
            raise RunAlreadyFinished(record)
        return LaunchedRun(
            provider=record.expect_provider(),
            handle=record.expect_handle(),
            expected_seconds=record.expected_seconds,
            deadline=record.deadline,
            started_at=record.started_at,
        )

    def _write(
        self, run_id: str, change: Change, returned: Literal["ALL_NEW", "NONE"]
    ) -> dict[str, Any]:
        """The conditional UpdateItem behind `change` and `apply`: the attributes it returned."""
        now = self.clock()
        values: dict[str, object] = {**change.fields, "updated_at": now}
        if change.status is not None:
            values["status"] = change.status.value
        if change.poll_count is not None:
            values["poll_count"] = change.poll_count
        update = _update(values, change)
        try:
            answer = self.client.update_item(
                TableName=self.table,
                Key={"run_id": {"S": run_id}},
                ReturnValues=returned,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **update,
            )
        except ClientError as exc:
            if not condition_failed(exc):
                raise
            raise self._refusal(run_id, exc, change.status) from None
        if change.status is not None:
            self.history.record_status(run_id, change.status, now, change.note)
        return dict(answer.get("Attributes", {}))

    def _refusal(self, run_id: str, exc: ClientError, wanted: RunStatus | None) -> RunError:
        """Why the condition failed, from the item DynamoDB returned (ALL_OLD) or a fresh read."""
        item: Any = exc.response.get("Item")
        current = StoredRun.read(item) if isinstance(item, dict) and item else self.find(run_id)
        if current is None:
            return RunNotFound(run_id)
        target = wanted.value if wanted else None
        if current.terminal:
            return RunAlreadyFinished(current, target)
        return TransitionRefused(run_id, current.status.value, target, current.poll_count)


def _update(values: Mapping[str, object], change: Change) -> dict[str, Any]:
    """UpdateExpression, ConditionExpression and their names and values for one write."""
    names: dict[str, str] = {"#status": "status"}
    attr_values: dict[str, Any] = {}
    sets: list[str] = []
    removals: list[str] = []
    for index, (name, value) in enumerate(values.items()):
        names[f"#f{index}"] = name
        if value is None:
            removals.append(f"#f{index}")
        else:
            attr_values[f":f{index}"] = attribute(value)
            sets.append(f"#f{index} = :f{index}")
    allowed = sorted(s.value for s in change.sources())
    attr_values.update({f":a{i}": {"S": s} for i, s in enumerate(allowed)})
    condition = "attribute_exists(run_id) AND #status IN ({})".format(
        ", ".join(f":a{i}" for i in range(len(allowed)))
    )
    if change.poll_count is not None:
        names["#pc"] = "poll_count"
        attr_values[":pc"] = {"N": str(change.poll_count)}
        condition += " AND (attribute_not_exists(#pc) OR #pc < :pc)"
    expression = "SET " + ", ".join(sets)
    if removals:
        expression += " REMOVE " + ", ".join(removals)
    return {
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": attr_values,
    }
