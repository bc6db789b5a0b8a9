"""Runs in DynamoDB: one item per run, per-case results and status history beside it.

Tables (declared in template.yaml; tests create them from it):
- runs table, key `run_id`: one item per run (`RunRecord`), plus `list_pk` (constant "RUN") and
  `list_sk` (`<created_at>#<run_id>`) for the `by-created` GSI that serves newest-first lists.
  Only run items live here, so a scan of the table is a list of runs.
- run items table, key `pk` = `RUN#<run_id>` / `sk`: `CASE#<00001>` per case result (a run with
  500 calls never meets the 400 KB item limit) and `STATUS#<time>#<status>` per status change.
  Launch claims and launch scopes live there too, under their own keys (see `claims.py`).

Page tokens are the DynamoDB start key, HMAC-signed with a key from the stack's secret and
bound to their listing (the runs, or one run's cases), so a forged or altered token is refused
(`InvalidPageToken`) instead of reading from a place of the caller's choosing. A page stops
early at `MAX_PAGE_BYTES`, so a page of large runs still fits in one Lambda response (6 MB).
The storage keys (`STORAGE_KEYS`) are this module's business: the API's views leave them out.

Every write of a run is conditional: the record must exist and be in a status the change may
start from (`record.sources_of` for a status move, else the caller's `allowed`), so statuses
only move forward and a late poll cannot overwrite a terminal run. A lost condition becomes
`TransitionRefused` carrying the status that won, or `RunAlreadyFinished` carrying the final
record. The history item is written right after the status change it records (a function dying
in between loses that history line, never the status).

A warm poll reads nothing: what polling needs of a running run never changes once it is launched
(`launched`, remembered per function instance), and its write returns nothing (`update`).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field

from agentsim.providers.base import CaseResult, ProviderName, ProviderRun
from agentsim.runs.errors import (
    InvalidPageToken,
    RunAlreadyFinished,
    RunError,
    RunNotFound,
    TransitionRefused,
)
from agentsim.runs.record import RunRecord, RunStatus, sources_of

if TYPE_CHECKING:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
    from mypy_boto3_dynamodb.client import DynamoDBClient

LIST_INDEX = "by-created"
LIST_PARTITION = "RUN"
MAX_CASE_ITEM_BYTES = 300_000
"""Case items above this are trimmed (raw payload, then transcript) below DynamoDB's 400 KB."""
MAX_LIST_PAGES = 10
"""DynamoDB pages read per list request; a sparse filter returns early with a token."""
MAX_PAGE_BYTES = 1_000_000
"""A page of runs or cases stops once its items add up to this much JSON (escaped as an answer
escapes it), so an answer stays far below Lambda's 6 MB response limit."""
MAX_TOKEN_LENGTH = 2048
STORAGE_KEYS = frozenset({"pk", "sk", "list_pk", "list_sk"})
"""Key attributes of the tables and the list index: internal, never part of an answer."""
RUNS_SCOPE = "runs"
_PROCESS_TOKEN_KEY = os.urandom(32)
"""Signs tokens when no key is given: they hold within one process (tests, local tools)."""
LAUNCHED_RUNS_KEPT = 1024
"""Running runs whose launch facts one function instance remembers (least recently used go)."""


@functools.cache
def _codec() -> tuple[TypeSerializer, TypeDeserializer]:
    """boto3's attribute-value codec, imported on first use: `boto3.dynamodb.types` imports boto3
    and botocore's session, which a client needs anyway, but importing this module does not."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer  # noqa: PLC0415

    return TypeSerializer(), TypeDeserializer()


def utcnow() -> datetime:
    return datetime.now(UTC)


def sortable_time(moment: datetime) -> str:
    """Fixed-width UTC time, so string order is time order (the GSI sort key)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    """JSON-like Python (floats as Decimal), ready for the DynamoDB serializer."""
    return json.loads(json.dumps(value), parse_float=Decimal)


def _attr(value: Any) -> Any:
    return _codec()[0].serialize(_plain(value))


def _item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _attr(value) for key, value in values.items() if value is not None}


def _undecimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _undecimal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_undecimal(v) for v in value]
    return value


def plain_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A low-level DynamoDB item as plain Python (numbers as int or float, not Decimal)."""
    deserializer = _codec()[1]
    return {key: _undecimal(deserializer.deserialize(value)) for key, value in item.items()}


def _json(model: BaseModel) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return dumped


class RunQuery(BaseModel):
    """Filters of a list request; every filter is optional, results are newest first."""

    model_config = ConfigDict(frozen=True)

    provider: ProviderName | None = None
    status: RunStatus | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    since: datetime | None = None
    limit: int = Field(default=25, ge=1, le=100)
    next_token: str | None = None


@dataclass(frozen=True)
class LaunchedRun:
    """What polling a running run needs, none of which changes once it runs: `start` stores the
    handle and expected duration as it moves the run to RUNNING, `register` the deadline before.
    """

    provider: ProviderName
    handle: ProviderRun
    expected_seconds: float | None
    deadline: datetime | None


@dataclass(frozen=True)
class RunPage:
    runs: list[RunRecord]
    next_token: str | None


@dataclass(frozen=True)
class CasePage:
    cases: list[dict[str, Any]]
    next_token: str | None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(token_key: bytes, scope: str, payload: str) -> str:
    return hmac.new(token_key, f"{scope}\n{payload}".encode(), hashlib.sha256).hexdigest()


def encode_token(
    key: Mapping[str, Any], *, scope: str = RUNS_SCOPE, token_key: bytes = _PROCESS_TOKEN_KEY
) -> str:
    """`key` (a DynamoDB start key) as an opaque token: `<base64url payload>.<hex HMAC-SHA256 of
    scope and payload>`."""
    payload = _b64(json.dumps(key, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_mac(token_key, scope, payload)}"


def decode_token(
    token: str,
    expected: Mapping[str, str | None] | None = None,
    *,
    scope: str = RUNS_SCOPE,
    token_key: bytes = _PROCESS_TOKEN_KEY,
) -> dict[str, Any]:
    """The DynamoDB start key inside a token this API issued for `scope`; InvalidPageToken for
    anything else (checked in constant time before the payload is even decoded).

    `expected`: the key's attribute names, each with the value it must have (None: any); by
    default the list index's key.
    """
    expected = expected or {"run_id": None, "list_pk": LIST_PARTITION, "list_sk": None}
    if not token.isascii() or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise InvalidPageToken()
    payload, _, signature = token.partition(".")
    if not hmac.compare_digest(signature, _mac(token_key, scope, payload)):
        raise InvalidPageToken()
    try:
        key = json.loads(_unb64(payload))
    except (binascii.Error, ValueError):
        raise InvalidPageToken() from None
    if (
        not isinstance(key, dict)
        or set(key) != set(expected)
        or not all(isinstance(v, dict) and isinstance(v.get("S"), str) for v in key.values())
        or any(want is not None and key[k]["S"] != want for k, want in expected.items())
    ):
        raise InvalidPageToken()
    return key


def _answer_size(item: Mapping[str, Any]) -> int:
    return len(json.dumps(plain_item(item), default=str))


def _trimmed_case(values: dict[str, Any]) -> dict[str, Any]:
    """The case item, minus its bulkiest parts if it would not fit in one item."""
    dropped: list[str] = []
    for name in ("raw", "transcript"):
        if len(json.dumps(values, default=str)) <= MAX_CASE_ITEM_BYTES:
            break
        if values.pop(name, None) is not None:
            dropped.append(name)
    if dropped:
        values["trimmed"] = dropped
    return values


@dataclass
class RunRepository:
    client: DynamoDBClient
    runs_table: str
    items_table: str
    clock: Callable[[], datetime] = utcnow
    sleep: Callable[[float], None] = field(default=time.sleep)
    token_key: Callable[[], bytes] = field(default=lambda: _PROCESS_TOKEN_KEY, repr=False)
    """The page tokens' key, read when a token is made or checked (from the stack's secret)."""
    launched: Callable[[str], LaunchedRun] = field(init=False, repr=False, compare=False)
    """The launch facts of a running run (`LaunchedRun`): read once, then remembered by this
    instance, so a warm function polls a run without reading it. Raises RunAlreadyFinished (with
    the record) for a run that ended, RunNotLaunched for one not launched: neither is kept."""

    def __post_init__(self) -> None:
        self.launched = functools.lru_cache(maxsize=LAUNCHED_RUNS_KEPT)(self._read_launched)

    # -- runs --------------------------------------------------------------------------------

    def create(self, record: RunRecord) -> bool:
        """Store a new run; False (and nothing written) when the run id already exists."""
        values = _json(record)
        values["list_pk"] = LIST_PARTITION
        values["list_sk"] = f"{sortable_time(record.created_at)}#{record.run_id}"
        try:
            self.client.put_item(
                TableName=self.runs_table,
                Item=_item(values),
                ConditionExpression="attribute_not_exists(run_id)",
            )
        except ClientError as exc:
            if _conditional(exc):
                return False
            raise
        self._history(record.run_id, record.status, record.created_at, "created")
        return True

    def create_or_get(self, record: RunRecord) -> tuple[RunRecord, bool]:
        """Store `record` unless its run id exists: (the run as it stands, whether it is new)."""
        if self.create(record):
            return record, True
        return self.get(record.run_id), False

    def find(self, run_id: str) -> RunRecord | None:
        answer = self.client.get_item(
            TableName=self.runs_table, Key={"run_id": {"S": run_id}}, ConsistentRead=True
        )
        item = answer.get("Item")
        return None if item is None else RunRecord.model_validate(plain_item(item))

    def get(self, run_id: str) -> RunRecord:
        record = self.find(run_id)
        if record is None:
            raise RunNotFound(run_id)
        return record

    def _read_launched(self, run_id: str) -> LaunchedRun:
        record = self.get(run_id)
        if record.terminal:
            raise RunAlreadyFinished(record)
        return LaunchedRun(
            provider=record.expect_provider(),
            handle=record.expect_handle(),
            expected_seconds=record.expected_seconds,
            deadline=record.deadline,
        )

    def change(
        self,
        run_id: str,
        changes: Mapping[str, Any],
        *,
        allowed: Collection[RunStatus] | None = None,
        status: RunStatus | None = None,
        remove: Collection[str] = (),
        poll_count: int | None = None,
        note: str | None = None,
    ) -> RunRecord:
        """Apply `changes` (field -> JSON-able value; None removes) if the run's status allows.

        `status` moves the run (and adds a history item), from `sources_of(status)` only;
        `allowed` narrows that, and is required for a write that does not move the run.
        `poll_count` is only ever raised (a stale poll's write is refused). Returns the record
        as stored after the change.
        """
        item = self._write(run_id, changes, allowed, status, remove, poll_count, note, "ALL_NEW")
        return RunRecord.model_validate(plain_item(item))

    def update(
        self,
        run_id: str,
        changes: Mapping[str, Any],
        *,
        allowed: Collection[RunStatus] | None = None,
        status: RunStatus | None = None,
        remove: Collection[str] = (),
        poll_count: int | None = None,
        note: str | None = None,
    ) -> None:
        """`change`, for a caller that needs nothing back: DynamoDB returns no attributes and
        nothing is validated (a refused condition still raises as in `change`)."""
        self._write(run_id, changes, allowed, status, remove, poll_count, note, "NONE")

    def _write(
        self,
        run_id: str,
        changes: Mapping[str, Any],
        allowed: Collection[RunStatus] | None,
        status: RunStatus | None,
        remove: Collection[str],
        poll_count: int | None,
        note: str | None,
        returned: Literal["ALL_NEW", "NONE"],
    ) -> dict[str, Any]:
        """The conditional UpdateItem behind `change` and `update`: the attributes it returned."""
        allowed = _condition_statuses(allowed, status)
        now = self.clock()
        values: dict[str, Any] = {**changes, "updated_at": now.isoformat()}
        if status is not None:
            values["status"] = status.value
        if poll_count is not None:
            values["poll_count"] = poll_count
        names: dict[str, str] = {"#status": "status"}
        attr_values: dict[str, Any] = {}
        sets: list[str] = []
        for index, (name, value) in enumerate(values.items()):
            names[f"#f{index}"] = name
            if value is None:
                continue
            attr_values[f":f{index}"] = _attr(_jsonable(value))
            sets.append(f"#f{index} = :f{index}")
        removals = [f"#r{i}" for i, _ in enumerate(remove)]
        names.update({f"#r{i}": name for i, name in enumerate(remove)})
        removals += [f"#f{i}" for i, (_, v) in enumerate(values.items()) if v is None]
        allowed_values = sorted(s.value for s in allowed)
        attr_values.update({f":a{i}": {"S": s} for i, s in enumerate(allowed_values)})
        condition = "attribute_exists(run_id) AND #status IN ({})".format(
            ", ".join(f":a{i}" for i in range(len(allowed_values)))
        )
        if poll_count is not None:
            names["#pc"] = "poll_count"
            attr_values[":pc"] = {"N": str(poll_count)}
            condition += " AND (attribute_not_exists(#pc) OR #pc <= :pc)"
        expression = "SET " + ", ".join(sets)
        if removals:
            expression += " REMOVE " + ", ".join(removals)
        try:
            answer = self.client.update_item(
                TableName=self.runs_table,
                Key={"run_id": {"S": run_id}},
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=attr_values,
                ReturnValues=returned,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not _conditional(exc):
                raise
            raise self._refusal(run_id, exc, status) from None
        if status is not None:
            self._history(run_id, status, now, note)
        return dict(answer.get("Attributes", {}))

    def _refusal(self, run_id: str, exc: ClientError, wanted: RunStatus | None) -> RunError:
        """Why the condition failed, from the item DynamoDB returned (ALL_OLD) or a fresh read."""
        item: Any = exc.response.get("Item")
        if isinstance(item, dict) and item:
            current: RunRecord | None = RunRecord.model_validate(plain_item(item))
        else:
            current = self.find(run_id)
        if current is None:
            return RunNotFound(run_id)
        target = wanted.value if wanted else None
        if current.terminal:
            return RunAlreadyFinished(current, target)
        return TransitionRefused(run_id, current.status.value, target)

    # -- history and cases ------------------------------------------------------------------

    def _history(
        self,
        run_id: str,
        status: RunStatus,
        at: datetime,
        note: str | None,
    ) -> None:
        self.client.put_item(
            TableName=self.items_table,
            Item=_item(
                {
                    "pk": f"RUN#{run_id}",
                    "sk": f"STATUS#{sortable_time(at)}#{status.value}",
                    "run_id": run_id,
                    "status": status.value,
                    "at": at.isoformat(),
                    "note": note,
                }
            ),
        )

    def history(self, run_id: str) -> list[dict[str, Any]]:
        return list(self._items(run_id, "STATUS#"))

    def put_cases(self, run_id: str, cases: Sequence[CaseResult]) -> int:
        """Store each case as its own item (idempotent: a retry overwrites the same keys)."""
        requests = []
        for number, case in enumerate(cases, start=1):
            values = _trimmed_case(
                {
                    "pk": f"RUN#{run_id}",
                    "sk": f"CASE#{number:05d}",
                    "run_id": run_id,
                    "number": number,
                    **_json(case),
                }
            )
            requests.append({"PutRequest": {"Item": _item(values)}})
        for start in range(0, len(requests), 25):
            self._batch_write(requests[start : start + 25])
        return len(requests)

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        pending: list[Any] = requests
        for attempt in range(8):
            answer = self.client.batch_write_item(RequestItems={self.items_table: pending})
            pending = list(answer.get("UnprocessedItems", {}).get(self.items_table, []))
            if not pending:
                return
            self.sleep(min(2.0, 0.05 * 2**attempt))
        raise RuntimeError(f"DynamoDB left {len(pending)} case items unprocessed")

    def cases(self, run_id: str) -> list[dict[str, Any]]:
        return list(self._items(run_id, "CASE#"))

    def case_page(self, run_id: str, *, limit: int, next_token: str | None = None) -> CasePage:
        """Up to `limit` cases in call order; `next_token` continues (a run may hold 500)."""
        kwargs = {**self._items_query(run_id, "CASE#"), "Limit": limit}
        scope = f"cases:{run_id}"
        if next_token:
            expected = {"pk": f"RUN#{run_id}", "sk": None}
            kwargs["ExclusiveStartKey"] = decode_token(
                next_token, expected, scope=scope, token_key=self.token_key()
            )
        answer = self.client.query(**kwargs)
        items = answer.get("Items", [])
        last = answer.get("LastEvaluatedKey")
        kept = _within_budget(items)
        if len(kept) < len(items):
            last = {name: kept[-1][name] for name in ("pk", "sk")}
        token = encode_token(last, scope=scope, token_key=self.token_key()) if last else None
        return CasePage([plain_item(item) for item in kept], token)

    def _items_query(self, run_id: str, prefix: str) -> dict[str, Any]:
        return {
            "TableName": self.items_table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": f"RUN#{run_id}"}, ":prefix": {"S": prefix}},
        }

    def _items(self, run_id: str, prefix: str) -> Iterator[dict[str, Any]]:
        kwargs = self._items_query(run_id, prefix)
        while True:
            answer = self.client.query(**kwargs)
            for item in answer.get("Items", []):
                yield plain_item(item)
            if "LastEvaluatedKey" not in answer:
                return
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # -- lists -------------------------------------------------------------------------------

    def list_runs(self, query: RunQuery) -> RunPage:
        """Newest first, filtered; `next_token` continues where this page stopped."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {":pk": {"S": LIST_PARTITION}}
        key_condition = "list_pk = :pk"
        if query.since is not None:
            key_condition += " AND list_sk >= :since"
            values[":since"] = {"S": sortable_time(query.since)}
        filters: list[str] = []
        if query.provider is not None:
            names["#provider"] = "provider"
            values[":provider"] = {"S": query.provider.value}
            filters.append("#provider = :provider")
        if query.status is not None:
            names["#status"] = "status"
            values[":status"] = {"S": query.status.value}
            filters.append("#status = :status")
        if query.labels:
            names["#labels"] = "labels"
        for index, (key, value) in enumerate(sorted(query.labels.items())):
            names[f"#l{index}"] = key
            values[f":l{index}"] = {"S": value}
            filters.append(f"#labels.#l{index} = :l{index}")
        kwargs: dict[str, Any] = {
            "TableName": self.runs_table,
            "IndexName": LIST_INDEX,
            "KeyConditionExpression": key_condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
            "Limit": max(query.limit, 25),
        }
        if names:
            kwargs["ExpressionAttributeNames"] = names
        if filters:
            kwargs["FilterExpression"] = " AND ".join(filters)
        if query.next_token:
            kwargs["ExclusiveStartKey"] = decode_token(query.next_token, token_key=self.token_key())
        found: list[dict[str, Any]] = []
        used = 0
        for _ in range(MAX_LIST_PAGES):
            answer = self.client.query(**kwargs)
            for item in answer.get("Items", []):
                size = _answer_size(item)
                if len(found) == query.limit or (found and used + size > MAX_PAGE_BYTES):
                    return self._page(found, _list_key(found[-1]))
                found.append(item)
                used += size
            last = answer.get("LastEvaluatedKey")
            if last is None:
                return self._page(found, None)
            if len(found) == query.limit:
                return self._page(found, _list_key(found[-1]))
            kwargs["ExclusiveStartKey"] = last
        return self._page(found, kwargs["ExclusiveStartKey"])

    def _page(self, items: list[dict[str, Any]], last_key: Mapping[str, Any] | None) -> RunPage:
        runs = [RunRecord.model_validate(plain_item(item)) for item in items]
        token = encode_token(last_key, token_key=self.token_key()) if last_key else None
        return RunPage(runs, token)


def _within_budget(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The leading `items` that fit in MAX_PAGE_BYTES (at least one)."""
    kept: list[dict[str, Any]] = []
    used = 0
    for item in items:
        size = _answer_size(item)
        if kept and used + size > MAX_PAGE_BYTES:
            break
        kept.append(item)
        used += size
    return kept


def _list_key(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in ("run_id", "list_pk", "list_sk")}


def _condition_statuses(
    allowed: Collection[RunStatus] | None, status: RunStatus | None
) -> frozenset[RunStatus]:
    """The statuses a write may start from: a move's sources (`record.sources_of`), narrowed by
    `allowed` when given; a write that does not move the run needs `allowed`."""
    if status is None:
        if allowed is None:
            raise TypeError("a change that does not move the run needs `allowed`")
        statuses = frozenset(allowed)
    else:
        statuses = sources_of(status)
        if allowed is not None:
            statuses &= frozenset(allowed)
    if not statuses:
        raise ValueError(f"no status may start this change (to {status}, from {allowed})")
    return statuses


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _conditional(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
