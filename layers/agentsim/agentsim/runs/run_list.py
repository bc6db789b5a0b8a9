"""Listing runs newest first, through the runs table's `by-created` index, or one series' runs
through its `by-series` index (`RunQuery.series`).

Filters (provider, status, labels) are DynamoDB filter expressions, so a sparse filter may read
several index pages for one answer: at most `MAX_LIST_PAGES`, after which the page ends early
with a token. A page also stops once its runs add up to `MAX_PAGE_BYTES` of JSON, so a page of
large runs still fits in one Lambda response (6 MB).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from agentsim.providers.base import ProviderName
from agentsim.runs.codec import sortable_time
from agentsim.runs.item_store import MAX_PAGE_BYTES, answer_size
from agentsim.runs.record import RunRecord, RunStatus
from agentsim.runs.series import SeriesName
from agentsim.runs.stored import (
    LIST_INDEX,
    LIST_KEYS,
    LIST_PARTITION,
    SERIES_INDEX,
    SERIES_KEYS,
    StoredRun,
)
from agentsim.runs.tokens import RUNS_SCOPE, decode_token, encode_token

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

MAX_LIST_PAGES = 10
"""DynamoDB pages read per list request; a sparse filter returns early with a token."""


class RunQuery(BaseModel):
    """Filters of a list request; every filter is optional, results are newest first."""

    model_config = ConfigDict(frozen=True)

    series: SeriesName | None = None
    """Only this series' runs (its own index: no filter)."""
    provider: ProviderName | None = None
    status: RunStatus | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    since: datetime | None = None
    limit: int = Field(default=25, ge=1, le=100)
    next_token: str | None = None


@dataclass(frozen=True)
class Listing:
    """Where a query reads (an index) and what its page tokens hold and are bound to."""

    index: str
    keys: tuple[str, ...]
    scope: str
    expected: dict[str, str | None]

    @classmethod
    def of(cls, query: RunQuery) -> Listing:
        if query.series is None:
            expected = {"run_id": None, "list_pk": LIST_PARTITION, "list_sk": None}
            return cls(LIST_INDEX, LIST_KEYS, RUNS_SCOPE, expected)
        expected = {"run_id": None, "series": query.series, "list_sk": None}
        return cls(SERIES_INDEX, SERIES_KEYS, f"series:{query.series}", expected)


@dataclass(frozen=True)
class RunPage:
    runs: list[RunRecord]
    next_token: str | None


def _filters(query: RunQuery) -> dict[str, Any]:
    """The Query arguments of `query`, before paging."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {":pk": {"S": query.series or LIST_PARTITION}}
    key_condition = "series = :pk" if query.series else "list_pk = :pk"
    if query.since is not None:
        key_condition += " AND list_sk >= :since"
        values[":since"] = {"S": sortable_time(query.since)}
    filters: list[str] = []
    for name, wanted in (("provider", query.provider), ("status", query.status)):
        if wanted is not None:
            names[f"#{name}"] = name
            values[f":{name}"] = {"S": wanted.value}
            filters.append(f"#{name} = :{name}")
    if query.labels:
        names["#labels"] = "labels"
    for index, (key, value) in enumerate(sorted(query.labels.items())):
        names[f"#l{index}"] = key
        values[f":l{index}"] = {"S": value}
        filters.append(f"#labels.#l{index} = :l{index}")
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": key_condition,
        "ExpressionAttributeValues": values,
    }
    if names:
        kwargs["ExpressionAttributeNames"] = names
    if filters:
        kwargs["FilterExpression"] = " AND ".join(filters)
    return kwargs


def list_runs(
    client: DynamoDBClient, table: str, query: RunQuery, token_key: Callable[[], bytes]
) -> RunPage:
    """One page of `query`; `next_token` continues where it stopped."""
    listing = Listing.of(query)
    kwargs: dict[str, Any] = {
        "TableName": table,
        "IndexName": listing.index,
        "ScanIndexForward": False,
        "Limit": max(query.limit, 25),
        **_filters(query),
    }
    if query.next_token:
        kwargs["ExclusiveStartKey"] = decode_token(
            query.next_token, listing.expected, scope=listing.scope, token_key=token_key()
        )

    def page(items: list[dict[str, Any]], last_key: Mapping[str, Any] | None) -> RunPage:
        runs = [StoredRun.read(item) for item in items]
        token = None
        if last_key:
            token = encode_token(last_key, scope=listing.scope, token_key=token_key())
        return RunPage(runs, token)

    def key_of(item: Mapping[str, Any]) -> dict[str, Any]:
        return {name: item[name] for name in listing.keys}

    found: list[dict[str, Any]] = []
    used = 0
    for _ in range(MAX_LIST_PAGES):
        answer = client.query(**kwargs)
        for item in answer.get("Items", []):
            size = answer_size(item)
            if len(found) == query.limit or (found and used + size > MAX_PAGE_BYTES):
                return page(found, key_of(found[-1]))
            found.append(item)
            used += size
        last = answer.get("LastEvaluatedKey")
        if last is None:
            return page(found, None)
        if len(found) == query.limit:
            return page(found, key_of(found[-1]))
        kwargs["ExclusiveStartKey"] = last
    return page(found, kwargs["ExclusiveStartKey"])
