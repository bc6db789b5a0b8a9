"""A run's items in DynamoDB: its cases (one item each, in call order) and its status history.

Cases are written under fixed keys (`CASE#<00001>`), so a retried Finish overwrites them; a
case over `MAX_CASE_ITEM_BYTES` loses its raw payload, then its transcript (`trimmed` says
which). A page of cases stops early at `MAX_PAGE_BYTES`, with a token (`tokens.py`) bound to
the run. What this hands out is the items' plain values, without the table's keys.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agentsim.providers.base import CaseResult
from agentsim.runs.codec import plain_item, sortable_time, to_item
from agentsim.runs.record import RunStatus
from agentsim.runs.stored import (
    CASE_PREFIX,
    ITEM_KEYS,
    STATUS_PREFIX,
    case_sk,
    run_pk,
    status_sk,
    without_keys,
)
from agentsim.runs.tokens import PROCESS_TOKEN_KEY, decode_token, encode_token

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

MAX_CASE_ITEM_BYTES = 300_000
"""Case items above this are trimmed (raw payload, then transcript) below DynamoDB's 400 KB."""
MAX_PAGE_BYTES = 1_000_000
"""A page of runs or cases stops once its items add up to this much JSON (escaped as an answer
escapes it), so an answer stays far below Lambda's 6 MB response limit."""
BATCH = 25
"""Items per BatchWriteItem, DynamoDB's limit."""


@dataclass(frozen=True)
class CasePage:
    cases: list[dict[str, Any]]
    next_token: str | None


def answer_size(item: dict[str, Any]) -> int:
    """The size of an item (attribute values) as JSON in an answer."""
    return len(json.dumps(plain_item(item), default=str))


def within_budget(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The leading `items` that fit in MAX_PAGE_BYTES (at least one)."""
    kept: list[dict[str, Any]] = []
    used = 0
    for item in items:
        size = answer_size(item)
        if kept and used + size > MAX_PAGE_BYTES:
            break
        kept.append(item)
        used += size
    return kept


@dataclass
class DynamoItemStore:
    """`ItemStore` in the run items table."""

    client: DynamoDBClient
    table: str
    sleep: Callable[[float], None] = field(default=time.sleep)
    token_key: Callable[[], bytes] = field(default=lambda: PROCESS_TOKEN_KEY, repr=False)
    """The page tokens' key, read when a token is made or checked (from the stack's secret)."""

    def record_status(self, run_id: str, status: RunStatus, at: datetime, note: str | None) -> None:
        """One history line: the run reached `status` at `at` (`note` says why)."""
        line = {
            "pk": run_pk(run_id),
            "sk": status_sk(sortable_time(at), status),
            "run_id": run_id,
            "status": status.value,
            "at": at.isoformat(),
            "note": note,
        }
        self.client.put_item(TableName=self.table, Item=to_item(line))

    def history(self, run_id: str) -> list[dict[str, Any]]:
        return list(self._items(run_id, STATUS_PREFIX))

    def put_cases(self, run_id: str, cases: Sequence[CaseResult]) -> int:
        """Store each case as its own item (idempotent: a retry overwrites the same keys)."""
        requests = []
        for number, case in enumerate(cases, start=1):
            values = {
                "pk": run_pk(run_id),
                "sk": case_sk(number),
                "run_id": run_id,
                "number": number,
                **case.model_dump(mode="json", exclude_none=True),
            }
            requests.append({"PutRequest": {"Item": to_item(_trimmed(values))}})
        for start in range(0, len(requests), BATCH):
            self._batch_write(requests[start : start + BATCH])
        return len(requests)

    def cases(self, run_id: str) -> list[dict[str, Any]]:
        return list(self._items(run_id, CASE_PREFIX))

    def case_page(self, run_id: str, *, limit: int, next_token: str | None = None) -> CasePage:
        """Up to `limit` cases in call order; `next_token` continues (a run may hold 500)."""
        kwargs = {**self._query(run_id, CASE_PREFIX), "Limit": limit}
        scope = f"cases:{run_id}"
        if next_token:
            expected = {"pk": run_pk(run_id), "sk": None}
            kwargs["ExclusiveStartKey"] = decode_token(
                next_token, expected, scope=scope, token_key=self.token_key()
            )
        answer = self.client.query(**kwargs)
        items = answer.get("Items", [])
        last = answer.get("LastEvaluatedKey")
        kept = within_budget(items)
        if len(kept) < len(items):
            last = {name: kept[-1][name] for name in ITEM_KEYS}
        token = encode_token(last, scope=scope, token_key=self.token_key()) if last else None
        return CasePage([without_keys(plain_item(item)) for item in kept], token)

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        pending: list[Any] = requests
        for attempt in range(8):
            answer = self.client.batch_write_item(RequestItems={self.table: pending})
            pending = list(answer.get("UnprocessedItems", {}).get(self.table, []))
            if not pending:
                return
            self.sleep(min(2.0, 0.05 * 2**attempt))
        raise RuntimeError(f"DynamoDB left {len(pending)} case items unprocessed")

    def _query(self, run_id: str, prefix: str) -> dict[str, Any]:
        return {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": run_pk(run_id)}, ":prefix": {"S": prefix}},
        }

    def _items(self, run_id: str, prefix: str) -> Iterator[dict[str, Any]]:
        kwargs = self._query(run_id, prefix)
        while True:
            answer = self.client.query(**kwargs)
            for item in answer.get("Items", []):
                yield without_keys(plain_item(item))
            if "LastEvaluatedKey" not in answer:
                return
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def _trimmed(values: dict[str, Any]) -> dict[str, Any]:
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
