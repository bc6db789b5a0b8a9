"""A series' runs, newest first, through the runs table's `by-series` index (`series` and the
list key `<created_at>#<run_id>`): the baseline and the recent history a comparison reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentsim.runs.record import RunRecord, RunStatus
from agentsim.runs.stored import SERIES_INDEX, StoredRun

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

MAX_PAGES = 5
"""Index pages read for one look-up (a series with many unfinished runs ends it early)."""


def completed_before(
    client: DynamoDBClient,
    table: str,
    series: str,
    before_key: str,
    limit: int,
    *,
    inclusive: bool = False,
) -> list[RunRecord]:
    """Up to `limit` COMPLETED runs of `series` created before the list key `before_key` (or
    at it, when `inclusive`), newest first."""
    comparison = "<=" if inclusive else "<"
    kwargs: dict[str, Any] = {
        "TableName": table,
        "IndexName": SERIES_INDEX,
        "KeyConditionExpression": f"series = :series AND list_sk {comparison} :before",
        "FilterExpression": "#status = :completed",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {
            ":series": {"S": series},
            ":before": {"S": before_key},
            ":completed": {"S": RunStatus.COMPLETED.value},
        },
        "ScanIndexForward": False,
    }
    found: list[RunRecord] = []
    for _ in range(MAX_PAGES):
        answer = client.query(**kwargs)
        found.extend(StoredRun.read(item) for item in answer.get("Items", []))
        if len(found) >= limit or "LastEvaluatedKey" not in answer:
            break
        kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
    return found[:limit]
